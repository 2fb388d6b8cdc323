import { expect, test } from '@playwright/test';
import { signIn } from './support/sign-in';

// Issue 3 "Show": the matrix's filters live in the URL, so an on-call link reproduces the view.

test('filtering the matrix by a finding code puts it in the URL and lists only rows with that finding', async ({ page }) => {
  await signIn(page, 'ada', '/');
  await expect(page.getByRole('heading', { name: 'Service accounts' })).toBeVisible();
  const rows = page.getByTestId('sa-row');
  await expect(rows.first()).toBeVisible();
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
  await signIn(page, 'ada', '/');
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
  await signIn(page, 'dan', '/');
  await expect(page.getByTestId('sa-row').first()).toBeVisible();
  const namespaces = await page.getByTestId('sa-row').locator('td:nth-child(2)').allInnerTexts();
  expect(namespaces.length).toBeGreaterThan(0);
  for (const namespace of namespaces) expect(namespace).toMatch(/^data(-|$)/);
});

test('a long page keeps only the rows near the screen in the DOM, and scrolling or Tab still reaches every row', async ({ page }) => {
  await signIn(page, 'ada', '/?pageSize=1000');
  const table = page.getByRole('table', { name: 'Service accounts' });
  const rows = page.getByTestId('sa-row');
  await expect(rows.first()).toBeVisible();
  // The table says how many rows it has, as the pager does, though most are not rendered.
  const total = Number(await table.getAttribute('aria-rowcount')) - 1;
  expect(total).toBeGreaterThan(150);
  await expect(page.getByTestId('row-count').first()).toContainText(`of ${total} `);
  const renderedAtTop = await rows.count();
  expect(renderedAtTop).toBeLessThan(total / 2);

  // Scrolled to the end, the last row is there, with its place in the table, and the DOM is no bigger.
  // Rows are measured as they render, so the page grows while it scrolls: keep going to the end, as End would.
  const last = page.locator(`[data-testid="sa-row"][aria-rowindex="${total + 1}"]`);
  await expect(async () => {
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await expect(last).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(last.getByRole('link').nth(1)).toBeInViewport();
  expect(await rows.count()).toBeLessThan(total / 2);

  // From the top, Tab walks on past the rows that were rendered at first.
  await page.evaluate(() => window.scrollTo(0, 0));
  await rows.first().getByRole('link').first().focus();
  const lastRenderedIndex = renderedAtTop + 1;
  let reached = 0;
  for (let presses = 0; presses < 400 && reached <= lastRenderedIndex + 5; presses++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() =>
      Number(document.activeElement?.closest('[data-testid="sa-row"]')?.getAttribute('aria-rowindex') ?? 0),
    );
    if (reached === 0) break;
  }
  expect(reached, 'Tab left the rows before passing those rendered at first').toBeGreaterThan(lastRenderedIndex + 5);
  await expect(page.locator('*:focus')).toBeInViewport();
});
