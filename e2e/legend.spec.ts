import { expect, test } from '@playwright/test';
import { waitForPageData } from './support/matrix';
import { signIn } from './support/sign-in';

test.describe.configure({ timeout: 240_000 });

// Issue 14, problem 11: shorthand without a legend ("PI 2", "none 2", "static 1", "2 / 0", "SDK default ✓"),
// a broken row whose purple "PI 3" looked healthy.
// (The favicon and app icons: e2e/errors.spec.ts.)

test('the matrix explains its shorthand under the table and in a Help popover, by keyboard', async ({ page }) => {
  await signIn(page, 'ada', '/');
  await waitForPageData(page);
  const legend = page.getByTestId('matrix-legend');
  await legend.getByText('What the shorthand means').click();
  for (const words of [
    'credentials from EKS Pod Identity',
    'No AWS identity injected',
    'Static AWS access keys',
    'Running pods / pods started before',
  ])
    await expect(legend).toContainText(words);
  await expect(legend).toContainText('SDK default ✓');

  const help = page.getByRole('button', { name: 'Help' });
  await help.focus();
  await page.keyboard.press('Enter');
  const popover = page.getByRole('dialog', { name: 'What the shorthand means' });
  await expect(popover).toBeVisible();
  await expect(popover).toContainText('2 / 0');
  await page.keyboard.press('Escape');
  await expect(popover).toBeHidden();
});

test('a row with an error finding looks broken: a red edge and its severity first, whatever its mechanism', async ({ page }) => {
  // restate-payments/restate: its trust policy is broken (PI002), and its 3 pods get Pod Identity ("PI 3").
  await signIn(page, 'ada', '/?q=restate-payments');
  await waitForPageData(page);
  const row = page.getByTestId('sa-row').filter({ hasText: 'restate-payments' }).first();
  await expect(row).toHaveAttribute('data-severity', 'error');
  const edge = await row.evaluate((element) => getComputedStyle(element).boxShadow);
  expect(edge).toMatch(/inset/);
  // The Findings cell comes right after the name, and says "error" before any mechanism badge.
  const cells = await row.locator('td').allInnerTexts();
  const findingsIndex = cells.findIndex((text) => /error/i.test(text));
  const podsGetIndex = cells.findIndex((text) => /^PI\b/.test(text.trim()));
  expect(findingsIndex).toBeGreaterThanOrEqual(0);
  expect(findingsIndex).toBeLessThan(podsGetIndex);
});
