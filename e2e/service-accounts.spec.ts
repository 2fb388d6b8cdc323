import { expect, test } from '@playwright/test';
import { readStackInfo } from './stack-info';
import { signIn } from './support/sign-in';

// The first page: every service account of every cluster in the kubeconfig, scoped to the signed-in team.

test('an admin sees the service accounts of all three clusters', async ({ page }) => {
  await signIn(page, 'ada', '/');
  for (const cluster of ['prod-use1', 'data-euw1', 'edge-k3s']) await expect(page.getByRole('heading', { name: cluster })).toBeVisible();
  const prod = page.getByRole('region', { name: 'prod-use1' });
  await expect(prod.getByRole('row').filter({ hasText: 'fraud-scorer' })).toContainText('payments');
  const data = page.getByRole('region', { name: 'data-euw1' });
  await expect(data.getByRole('row').filter({ hasText: 'ingest' })).toContainText('arn:aws:iam::444455556666:role/data-pipelines-ingest');
});

test('a payments operator sees only the payments namespaces', async ({ page }) => {
  await signIn(page, 'ann', '/');
  const prod = page.getByRole('region', { name: 'prod-use1' });
  await expect(prod.getByRole('row', { name: 'payments ledger —', exact: true })).toBeVisible();
  await expect(prod.getByRole('row').filter({ hasText: 'reconciler' })).toContainText('payments-batch');
  await expect(page.getByText('cluster-autoscaler')).toHaveCount(0);
  await expect(page.getByText('warehouse-loader')).toHaveCount(0);
});

test('a cluster whose API server fails shows why, and the other clusters still show', async ({ page }) => {
  const { controlUrl } = readStackInfo();
  const added = await fetch(`${controlUrl}/faults`, {
    method: 'POST',
    body: JSON.stringify({ service: 'kube', operation: 'list serviceaccounts', cluster: 'data-euw1', error: { status: 503, code: 'ServiceUnavailable', message: 'the API server is restarting' } }),
  });
  const { id } = (await added.json()) as { id: string };
  try {
    await signIn(page, 'ada', '/');
    const data = page.getByRole('region', { name: 'data-euw1' });
    await expect(data.getByRole('alert')).toContainText('list serviceaccounts failed with ServiceUnavailable: the API server is restarting');
    await expect(page.getByRole('region', { name: 'prod-use1' }).getByRole('row', { name: 'payments ledger —', exact: true })).toBeVisible();
  } finally {
    await fetch(`${controlUrl}/faults/${id}`, { method: 'DELETE' });
  }
});
