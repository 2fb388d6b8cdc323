import { expect, test } from '@playwright/test';
import { signIn } from './support/sign-in';

// The matrix over the real pipeline (simulated clusters, real clients), scoped to the signed-in user's teams.

test('an admin sees the service accounts of all three clusters', async ({ page }) => {
  await signIn(page, 'ada', '/');
  const rows = page.getByTestId('sa-row');
  for (const [cluster, name] of [
    ['prod-use1', 'fraud-scorer'],
    ['data-euw1', 'ingest'],
    ['edge-k3s', 'default'],
  ]) {
    await page.goto(`/?cluster=${cluster}&q=${name}`);
    await expect(rows.filter({ hasText: name }).first()).toBeVisible();
    for (const text of await rows.allInnerTexts()) expect(text).toContain(cluster);
  }
  await page.goto('/?cluster=data-euw1&q=ingest');
  await expect(rows.filter({ hasText: 'data-pipelines' }).first()).toContainText('data-pipelines-ingest');
});

test('a payments operator sees only the payments namespaces, and nothing else exists for them', async ({ page }) => {
  await signIn(page, 'ann', '/');
  const rows = page.getByTestId('sa-row');
  await expect(rows.first()).toBeVisible();
  for (const namespace of await rows.locator('td:nth-child(2)').allInnerTexts()) expect(namespace).toMatch(/^payments(-|$)/);
  await page.goto('/?q=warehouse-loader');
  await expect(page.getByText('warehouse-loader')).toHaveCount(0);
  // Out of scope is the same as absent: 404, not a greyed page.
  const response = await page.goto('/serviceaccounts/data-euw1/data/warehouse-loader');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: /not found/i })).toBeVisible();
});

test('an API token bound to the payments team sees only payments rows, gets 404 for others, and cannot act as a viewer', async ({
  request,
}) => {
  const headers = { authorization: 'Bearer demo-payments-ci-token' };
  const list = await request.get('/api/v1/serviceaccounts', { headers });
  expect(list.status()).toBe(200);
  const { items } = (await list.json()) as { items: { namespace: string }[] };
  expect(items.length).toBeGreaterThan(0);
  for (const row of items) expect(row.namespace).toMatch(/^payments(-|$)/);

  expect((await request.get('/api/v1/serviceaccounts/data-euw1/data/warehouse-loader', { headers })).status()).toBe(404);
  expect((await request.get('/api/v1/serviceaccounts/prod-use1/payments/notifications', { headers })).status()).toBe(200);
  const act = await request.post('/api/v1/actions', {
    headers,
    data: { type: 'roll-pods', dryRun: true, params: { cluster: 'prod-use1', namespace: 'payments', serviceAccount: 'notifications' } },
  });
  expect(act.status()).toBe(403);
  expect((await request.get('/api/v1/serviceaccounts', { headers: { authorization: 'Bearer not-a-token' } })).status()).toBe(401);
});
