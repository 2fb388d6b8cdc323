import { expect, test } from '@playwright/test';
import { waitForPageData } from './support/matrix';
import { signIn } from './support/sign-in';

test.describe.configure({ timeout: 180_000 });

// Issue 14, problem 1: scope made visible. ann (payments operator, namespaces payments and payments-*) must be able
// to tell "hidden from you" from "nothing there", without learning what is hidden.

test('the header chip opens what ann may see and do', async ({ page }) => {
  await signIn(page, 'ann', '/');
  await page.getByTestId('signed-in-user').click();
  const scope = page.getByRole('region', { name: 'Your scope' });
  await expect(scope).toContainText('payments, payments-*');
  await expect(scope).toContainText('operator');
  await page.keyboard.press('Escape');
  await expect(scope).toBeHidden();
  await expect(page.getByTestId('signed-in-user')).toBeFocused();
});

// The demo has three Restate clusters (restate-payments, restate-orders, restate-ledger), none in ann's payments-*.
test('searching "restate" as ann says three matches are outside her namespaces, and nothing about them', async ({ page }) => {
  await signIn(page, 'ann', '/');
  await page.goto('/?q=restate');
  await waitForPageData(page);
  await expect(page.getByText('No service accounts in your scope match these filters.')).toBeVisible();
  const note = page.getByTestId('outside-scope');
  await expect(note).toContainText('3 more matches are outside your namespaces');
  // Nothing of the hidden row: not its namespace, role or findings.
  const body = await page.locator('main').innerText();
  for (const secret of ['restate-payments', 'restate-orders', 'restate-ledger', 'restate-snapshots', 'SN006', 'PI002'])
    expect(body).not.toContain(secret);
});

test('a partial word reveals nothing, so hidden names cannot be spelled out letter by letter', async ({ page }) => {
  await signIn(page, 'ann', '/');
  await page.goto('/?q=resta');
  await waitForPageData(page);
  await expect(page.getByText('No service accounts match these filters.')).toBeVisible();
  await expect(page.getByTestId('outside-scope')).toHaveCount(0);
});

test('the API gives the same count to a payments token, and nothing to an admin (who sees the row)', async ({ request }) => {
  const ann = await request.get('/api/v1/serviceaccounts?q=restate', { headers: { authorization: 'Bearer demo-payments-ci-token' } });
  const annBody = (await ann.json()) as { items: unknown[]; outsideScope?: number };
  expect(annBody.items).toEqual([]);
  expect(annBody.outsideScope).toBe(3);
  const admin = await request.get('/api/v1/serviceaccounts?q=restate', {
    headers: { authorization: 'Bearer demo-platform-automation-token' },
  });
  const adminBody = (await admin.json()) as { items: { namespace: string }[]; outsideScope?: number };
  expect(adminBody.items.some((row) => row.namespace === 'restate-payments')).toBe(true);
  expect(adminBody.outsideScope).toBeUndefined();
});

test('a direct link to an out-of-scope service account is a 404 that shows ann her namespaces and does not confirm it exists', async ({
  page,
}) => {
  await signIn(page, 'ann', '/');
  const existing = await page.goto('/serviceaccounts/prod-use1/restate-payments/restate');
  expect(existing?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Service account not found' })).toBeVisible();
  await expect(page.getByTestId('scope-summary')).toContainText('payments, payments-*');
  const existingText = await page.locator('main').innerText();
  // A name that exists nowhere reads exactly the same, so the page is no oracle for what exists.
  const missing = await page.goto('/serviceaccounts/prod-use1/restate-payments/no-such-sa');
  expect(missing?.status()).toBe(404);
  expect(await page.locator('main').innerText()).toBe(existingText);
});
