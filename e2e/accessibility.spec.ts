import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { waitForPageData } from './support/matrix';
import { signIn } from './support/sign-in';

test.describe.configure({ timeout: 240_000 });

// Issue 14, problem 6: WCAG 2.2 AA as axe checks it (no critical or serious violation) on the pages an on-call
// engineer uses, a modal action dialog, and a skip link.

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'critical' || violation.impact === 'serious')
    .map((violation) => `${violation.id} (${violation.impact}) ×${violation.nodes.length}: ${violation.nodes[0]?.target.join(' ')}`);
}

test('the sign-in page has no critical or serious axe violation', async ({ page }) => {
  await page.goto('/signin');
  expect(await seriousViolations(page)).toEqual([]);
});

test('the console pages have no critical or serious axe violation', async ({ page }) => {
  await signIn(page, 'ada', '/');
  for (const path of [
    '/',
    '/serviceaccounts/prod-use1/payments/notifications',
    '/clusters',
    '/clusters/edge-k3s',
    '/snapshots',
    '/activity',
  ]) {
    await page.goto(path);
    await waitForPageData(page);
    expect(await seriousViolations(page), path).toEqual([]);
  }
});

// Its own test: each page costs the one above a share of its time budget on a loaded machine.
test('a matrix page long enough to be virtualized (spacer rows, aria-rowcount, aria-rowindex) has no critical or serious axe violation', async ({
  page,
}) => {
  await signIn(page, 'ada', '/?pageSize=1000');
  await waitForPageData(page);
  await expect(page.getByRole('table', { name: 'Service accounts' })).toHaveAttribute('aria-rowcount', /\d+/);
  expect(await seriousViolations(page)).toEqual([]);
});

test('the action dialog is modal: axe-clean, focus stays inside on Tab, and Esc returns focus to its button', async ({ page }) => {
  await signIn(page, 'ada', '/serviceaccounts/prod-use1/payments/notifications');
  await waitForPageData(page);
  const opener = page.getByRole('region', { name: 'Actions' }).getByRole('button', { name: 'Set STS endpoint mode' });
  await opener.click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press('Tab');
    expect(await dialog.evaluate((element) => element.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press('Shift+Tab');
  expect(await dialog.evaluate((element) => element.contains(document.activeElement))).toBe(true);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
});

test('the first Tab reaches a skip link that jumps past the header to the page', async ({ page }) => {
  await signIn(page, 'ada', '/');
  await waitForPageData(page);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main#main')).toBeFocused();
});
