import { expect, test, type Locator, type Page } from '@playwright/test';
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

// Issue 17: the search box narrows the rows as the user types. The rows are re-read from the API (no server render
// of the page), and the URL is still the view: Back, Forward and a reload show it.

/** Next's server renders of the page (RSC requests), not counting link prefetches. */
function serverRenders(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    const headers = request.headers();
    if (headers.rsc === '1' && !headers['next-router-prefetch']) seen.push(request.url());
  });
  return seen;
}

async function totalFor(page: Page, q: string): Promise<number> {
  const response = await page.request.get(`/api/v1/serviceaccounts?q=${encodeURIComponent(q)}&page=1`);
  expect(response.ok()).toBe(true);
  return ((await response.json()) as { total: number }).total;
}

test('typing in the search box narrows the rows without a server render, and the URL keeps the search for Back, Forward and a reload', async ({
  page,
}) => {
  await signIn(page, 'ada', '/');
  await waitForPageData(page);
  const rowCount = page.getByTestId('row-count').first();
  await expect(rowCount).toContainText(/of \d+ service account/);
  const everything = Number(/of (\d+)/.exec(await rowCount.innerText())![1]);
  const expected = await totalFor(page, 'ledger');
  expect(expected).toBeGreaterThan(0);
  expect(expected).toBeLessThan(everything);

  const renders = serverRenders(page);
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  const search = page.getByRole('searchbox', { name: 'Search' });
  await search.pressSequentially('ledger');
  await expect(rowCount).toContainText(`of ${expected} service account`);
  await expect(page).toHaveURL(/[?&]q=ledger(&|$)/);
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  expect(renders, 'typing rendered the page on the server').toEqual([]);

  // What counts rows counts the searched ones: the severity chips, the pickers; the sort links keep the search.
  const chips = await page.getByRole('group', { name: 'Filter by severity' }).getByRole('link').allInnerTexts();
  expect(chips.reduce((sum, chip) => sum + Number(/(\d+)\s*$/.exec(chip)![1]), 0)).toBe(expected);
  await expect(async () => {
    const namespaces = await options(page.getByLabel('Namespace', { exact: true }));
    expect(namespaces.reduce((sum, option) => sum + countOf(option.label), 0)).toBe(expected);
  }).toPass({ timeout: 10_000 });
  const sortLink = page.getByRole('table', { name: 'Service accounts' }).getByRole('link', { name: /^Service account/ });
  await expect(sortLink).toHaveAttribute('href', /[?&]q=ledger(&|$)/);
  await expect(page.getByRole('link', { name: 'Export CSV' })).toHaveAttribute('href', /[?&]q=ledger(&|$)/);

  // Back is the view before the search, Forward the search again.
  await page.goBack();
  await expect(page).not.toHaveURL(/q=/);
  await expect(search).toHaveValue('');
  await expect(rowCount).toContainText(`of ${everything} service account`);
  await page.goForward();
  await expect(search).toHaveValue('ledger');
  await expect(rowCount).toContainText(`of ${expected} service account`);

  // The link is the view: reloaded, the server renders the same rows.
  await page.reload();
  await waitForPageData(page);
  await expect(search).toHaveValue('ledger');
  await expect(rowCount).toContainText(`of ${expected} service account`);

  // A sort is still a server render (which the watch above would have seen), of the searched rows.
  await sortLink.click();
  await expect(page).toHaveURL(/sort=name/);
  await waitForPageData(page);
  await expect(rowCount).toContainText(`of ${expected} service account`);
  expect(renders.length).toBeGreaterThan(0);
});

test('a slow answer to an earlier keystroke never replaces the rows of a later one', async ({ page }) => {
  await signIn(page, 'ada', '/');
  await waitForPageData(page);
  const [early, late] = ['ledger', 'ledger-exporter'];
  const earlyTotal = await totalFor(page, early);
  const lateTotal = await totalFor(page, late);
  expect(lateTotal).toBeGreaterThan(0);
  expect(earlyTotal).not.toBe(lateTotal);
  // The answer for the early text is held back 3 s (if the page still wants it then).
  let slowAnswered!: () => void;
  const slowDone = new Promise<void>((resolve) => (slowAnswered = resolve));
  await page.route(
    (url) => url.pathname === '/api/v1/serviceaccounts' && url.searchParams.get('q') === early,
    async (route) => {
      try {
        const response = await route.fetch();
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        await route.fulfill({ response });
      } catch {
        // The page gave up on it (aborted): also fine.
      } finally {
        slowAnswered();
      }
    },
  );
  const search = page.getByRole('searchbox', { name: 'Search' });
  await search.fill(early);
  await page.waitForTimeout(300);
  await search.pressSequentially(late.slice(early.length));
  const rowCount = page.getByTestId('row-count').first();
  await expect(rowCount).toContainText(`of ${lateTotal} service account`);
  await slowDone;
  await page.waitForTimeout(500);
  await expect(rowCount).toContainText(`of ${lateTotal} service account`);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${late}(&|$)`));
  await expect(search).toHaveValue(late);
});

test('typed as a scoped user, a search that hits other teams says so, and shows none of it', async ({ page }) => {
  await signIn(page, 'ann', '/');
  await waitForPageData(page);
  await page.getByRole('searchbox', { name: 'Search' }).pressSequentially('restate');
  await expect(page.getByTestId('outside-scope')).toContainText('3 more matches are outside your namespaces');
  await expect(page.getByText('No service accounts in your scope match these filters.')).toBeVisible();
  await expect(page.getByTestId('sa-row')).toHaveCount(0);
  // Clearing the filters after a typed search is the whole view again, box and all.
  await page.getByRole('link', { name: 'Clear filters' }).click();
  await expect(page).not.toHaveURL(/q=/);
  await expect(page.getByRole('searchbox', { name: 'Search' })).toHaveValue('');
  await expect(page.getByTestId('sa-row').first()).toBeVisible();
  await expect(page.getByTestId('outside-scope')).toHaveCount(0);
});

test('while a search is read, the previous rows stay, marked busy; then its rows arrive, or its failure is said', async ({ page }) => {
  await signIn(page, 'ada', '/');
  await waitForPageData(page);
  const rowCount = page.getByTestId('row-count').first();
  const before = (await rowCount.innerText()).trim();
  const slow = 'ledger';
  const slowTotal = await totalFor(page, slow);
  expect(before).not.toContain(`of ${slowTotal} service account`);
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    (url) => url.pathname === '/api/v1/serviceaccounts' && url.searchParams.get('q') === slow,
    async (route) => {
      const response = await route.fetch();
      await held;
      await route.fulfill({ response });
    },
  );
  const search = page.getByRole('searchbox', { name: 'Search' });
  await search.fill(slow);
  const searching = page.getByTestId('searching');
  await expect(searching).toBeVisible();
  await expect(page.locator('[aria-busy="true"]').first()).toBeAttached();
  // Held back for a while: the table still shows the rows it had, not an empty or half-drawn one.
  await page.waitForTimeout(1_000);
  await expect(rowCount).toHaveText(before);
  await expect(page.getByTestId('sa-row').first()).toBeVisible();
  release();
  await expect(rowCount).toContainText(`of ${slowTotal} service account`);
  await expect(searching).toHaveCount(0);
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);

  // A search the server cannot answer: the rows shown stay, and the failure is said rather than spun on forever.
  const broken = 'exporter';
  await page.route(
    (url) => url.pathname === '/api/v1/serviceaccounts' && url.searchParams.get('q') === broken,
    (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'internal', message: 'the fleet view is unavailable' } }),
      }),
  );
  await search.fill(broken);
  const failure = page.getByRole('alert').filter({ hasText: 'Search failed: the fleet view is unavailable' });
  await expect(failure).toBeVisible({ timeout: 30_000 });
  await expect(searching).toHaveCount(0);
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  await expect(rowCount).toContainText(`of ${slowTotal} service account`);
  // Clearing the box goes back to every row, and the failure no longer shows.
  await search.fill('');
  await expect(rowCount).toHaveText(before);
  await expect(failure).toHaveCount(0);
});
