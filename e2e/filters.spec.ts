import { expect, test, type Locator } from '@playwright/test';
import { waitForPageData } from './support/matrix';
import { signIn } from './support/sign-in';

test.describe.configure({ timeout: 180_000 });

// Issue 14, problem 9: filters offer no dead ends, unknown values are named, the pager is at the top too, and
// sorting keeps the table on screen.

async function options(select: Locator): Promise<{ value: string; label: string }[]> {
  return select
    .locator('option')
    .evaluateAll((nodes) =>
      nodes.map((node) => ({ value: (node as HTMLOptionElement).value, label: node.textContent ?? '' })).filter((option) => option.value),
    );
}

function countOf(label: string): number {
  const match = /\((\d+)\)$/.exec(label);
  if (!match) throw new Error(`no count in "${label}"`);
  return Number(match[1]);
}

test('after choosing a cluster, the namespace and code pickers offer only what that cluster has, each with the row count it gives', async ({
  page,
}) => {
  await signIn(page, 'ada', '/');
  await waitForPageData(page);
  const rowCount = page.getByTestId('row-count').first();
  await expect(rowCount).toBeVisible();
  await page.getByLabel('Cluster', { exact: true }).selectOption('data-euw1');
  await expect(page).toHaveURL(/cluster=data-euw1/, { timeout: 90_000 });
  await waitForPageData(page);
  await expect(rowCount).toContainText(/of \d+ service account/);
  const total = Number(/of (\d+)/.exec(await rowCount.innerText())![1]);
  const namespaces = await options(page.getByLabel('Namespace', { exact: true }));
  // Every row of the cluster is in exactly one offered namespace: nothing offered belongs to another cluster.
  expect(namespaces.reduce((sum, option) => sum + countOf(option.label), 0)).toBe(total);
  const codes = await options(page.getByLabel('Finding code', { exact: true }));
  expect(codes.length).toBeGreaterThan(0);
  expect(codes.length).toBeLessThan(27);
  // Choosing an offered code shows exactly the rows its count promised.
  const code = codes[0];
  await page.getByLabel('Finding code', { exact: true }).selectOption(code.value);
  await expect(page).toHaveURL(new RegExp(`code=${code.value}`), { timeout: 90_000 });
  await waitForPageData(page);
  await expect(rowCount).toContainText(`of ${countOf(code.label)} service account`);
});

test('a link naming an unknown cluster or code says which, instead of an empty table', async ({ page }) => {
  await signIn(page, 'ada', '/');
  await waitForPageData(page);
  await page.goto('/?cluster=nope&code=CL001');
  const alert = page.getByRole('alert').filter({ hasText: 'filters are invalid' });
  await expect(alert).toContainText('no cluster you can see is named "nope"');
  await expect(alert).toContainText('CL001 is not a code a service account can have');
  await expect(page.getByTestId('sa-row')).toHaveCount(0);
});

test('the row count and pager are above the table too, with a page-size choice', async ({ page }) => {
  await signIn(page, 'ada', '/');
  await waitForPageData(page);
  const top = page.getByRole('navigation', { name: 'Pages (top)' });
  await expect(top.getByTestId('row-count')).toBeInViewport();
  await top.getByRole('link', { name: '25', exact: true }).click();
  await expect(page).toHaveURL(/pageSize=25/, { timeout: 90_000 });
  await expect(page.getByTestId('sa-row')).toHaveCount(25);
});

test('sorting keeps the table on screen while the new order loads', async ({ page }) => {
  await signIn(page, 'ada', '/');
  await waitForPageData(page);
  const table = page.getByRole('table', { name: 'Service accounts' });
  await expect(page.getByTestId('sa-row').first()).toBeVisible();
  // Watch for the table leaving the page at any moment during the sort.
  await page.evaluate(() => {
    const w = window as unknown as { __tableGone: boolean };
    w.__tableGone = false;
    new MutationObserver(() => {
      if (!document.querySelector('table[aria-label="Service accounts"] [data-testid="sa-row"]')) w.__tableGone = true;
    }).observe(document.body, { childList: true, subtree: true });
  });
  await table.getByRole('link', { name: /^Service account/ }).click();
  await expect(page).toHaveURL(/sort=name/, { timeout: 90_000 });
  await expect(page.getByTestId('sa-row').first()).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __tableGone: boolean }).__tableGone)).toBe(false);
});
