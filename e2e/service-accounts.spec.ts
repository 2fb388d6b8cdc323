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
  await expect(page.getByRole('heading', { name: /not found/i })).toBeVisible();
  expect(response?.status() === 404 || (await page.getByText(/not found/i).count()) > 0).toBe(true);
});
