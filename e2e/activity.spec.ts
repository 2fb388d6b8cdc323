import { expect, test } from '@playwright/test';
import { signIn } from './support/sign-in';

// Issue 14, problem 7 (and issue 11: Activity built like the other pages): a readable timeline, filters in the URL
// with a date picker, and a bad link named in the shared invalid-filters panel.

test('the Activity page is a timeline in words: who did what, when (full time on hover), with filters in the URL', async ({ page }) => {
  await signIn(page, 'ada', '/activity');
  await expect(page).toHaveTitle(/^Activity · /);
  const entry = page.getByTestId('activity-entry').filter({ hasText: 'ada (oidc) signed in' }).first();
  await expect(entry).toBeVisible();
  // Cells no longer run together: the time, the sentence and the outcome are separate, padded pieces.
  const time = await entry.locator('time').first().boundingBox();
  const sentence = await entry.getByText('ada (oidc) signed in', { exact: false }).first().boundingBox();
  expect(sentence!.x - (time!.x + time!.width)).toBeGreaterThanOrEqual(8);
  await expect(entry.locator('time')).toHaveAttribute('title', /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC\+00:00$/);
  const padding = await entry.evaluate((element) => parseFloat(getComputedStyle(element).paddingLeft));
  expect(padding).toBeGreaterThanOrEqual(8);

  const filters = page.getByRole('search', { name: 'Filter activity' });
  await filters.getByLabel('What').selectOption({ label: 'Sign-ins' });
  await expect(page).toHaveURL(/[?&]type=sign-in/);
  await filters.getByLabel('Since (UTC day)').fill('2000-01-01');
  await expect(page).toHaveURL(/[?&]since=2000-01-01/);
  await expect(page.getByTestId('activity-entry').first()).toContainText('signed in');
  await expect(page.locator('[data-testid="activity-entry"]:not([data-kind="sign-in"])')).toHaveCount(0);

  await filters.getByLabel('Since (UTC day)').fill('2999-01-01');
  await expect(page.getByText('No activity matches these filters.')).toBeVisible();
  await page.getByRole('link', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL(/\/activity$/);
});

test('a malformed Activity link names the bad filter instead of a raw error', async ({ page }) => {
  await signIn(page, 'ada', '/activity?since=yesterday');
  const alert = page.getByRole('main').getByRole('alert');
  await expect(alert).toContainText("This link's filters are invalid");
  await expect(alert).toContainText('since');
  await expect(alert.getByRole('link', { name: 'Show all activity' })).toHaveAttribute('href', '/activity');
});
