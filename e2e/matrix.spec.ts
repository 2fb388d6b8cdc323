import { expect, test } from '@playwright/test';
import { signInAs } from './console-session';

// Issue 3 "Show": the matrix's filters live in the URL, so an on-call link reproduces the view.

test('filtering the matrix by a finding code puts it in the URL and lists only rows with that finding', async ({ page }) => {
  await signInAs(page, 'ada', '/');
  await expect(page.getByRole('heading', { name: 'Service accounts' })).toBeVisible();
  const rows = page.getByTestId('sa-row');
  const allRows = await rows.count();
  expect(allRows).toBeGreaterThan(1);

  await page.getByLabel('Finding code').selectOption('PI005');
  await expect(page).toHaveURL(/[?&]code=PI005(&|$)/);
  await expect(async () => {
    const texts = await rows.allInnerTexts();
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.length).toBeLessThan(allRows);
    for (const text of texts) expect(text).toContain('PI005');
  }).toPass();

  // The same URL, opened fresh, shows the same rows: the link is the view.
  const filtered = await rows.allInnerTexts();
  await page.goto(page.url());
  await expect(rows).toHaveCount(filtered.length);
  await expect(page.getByLabel('Finding code')).toHaveValue('PI005');

  // A row links to its service account page, which walks the credential chain.
  await rows.first().getByRole('link').nth(1).click();
  await expect(page).toHaveURL(/\/serviceaccounts\/[^/]+\/[^/]+\/[^/]+$/);
  await expect(page.getByRole('list', { name: 'Credential chain' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Findings' }).locator('[data-finding-code="PI005"]')).toBeVisible();
});

test('the Refresh button re-reads the data without reloading the page', async ({ page }) => {
  await signInAs(page, 'ada', '/');
  const asOf = page.getByTestId('data-as-of');
  await expect(asOf).toContainText(/\d\d:\d\d:\d\d/);
  await page.evaluate(() => ((window as unknown as { __marker: boolean }).__marker = true));
  const refreshed = page.waitForResponse((response) => response.url().includes('/api/v1/serviceaccounts?') && response.status() === 200);
  await page.getByRole('button', { name: 'Refresh' }).click();
  await refreshed;
  // Same document: a full reload would have dropped the marker.
  expect(await page.evaluate(() => (window as unknown as { __marker?: boolean }).__marker)).toBe(true);
});

test('a team member sees only the namespaces in their scope', async ({ page }) => {
  await signInAs(page, 'dan', '/');
  const namespaces = await page.getByTestId('sa-row').locator('td:nth-child(2)').allInnerTexts();
  expect(namespaces.length).toBeGreaterThan(0);
  for (const namespace of namespaces) expect(namespace).toMatch(/^data(-|$)/);
});
