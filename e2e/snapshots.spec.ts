import { expect, test } from '@playwright/test';
import { signIn } from './support/sign-in';

// Issue 6 "Done when": on the demo, the stale Restate partition and the failing K3s S3 snapshots are shown with
// their causes, on the snapshots page, in the matrix's snapshot column and through the API.

const admin = { authorization: 'Bearer demo-platform-automation-token' };

test('the snapshots page shows the stale partition next to its writer broken identity, and the failing S3 etcd snapshots with the error', async ({
  page,
}) => {
  await signIn(page, 'ada', '/snapshots');
  const restate = page.getByRole('article', { name: 'Snapshot source s3://restate-snapshots/payments' });
  // The page streams in after a fleet collection, which reads every role's policies: allow it time on a busy machine.
  await expect(restate).toHaveAttribute('data-state', 'stale', { timeout: 60_000 });
  await expect(restate.getByRole('list', { name: 'Partitions' }).locator('li')).toHaveCount(8);
  await expect(restate.locator('[data-partition="5"]')).toHaveAttribute('data-state', 'stale');
  await expect(restate.locator('[data-partition="4"]')).toHaveAttribute('data-state', 'fresh');
  await expect(restate.getByRole('table', { name: 'Partitions that are not fresh' })).toContainText('snap_05stale');
  const writer = restate.getByLabel('Writer');
  await expect(writer.getByRole('link', { name: 'prod-use1/restate-payments/restate' })).toBeVisible();
  await expect(writer).toContainText('PI002');
  await expect(restate.locator('[data-finding-code="SN001"]')).toBeVisible();
  await expect(restate.locator('[data-finding-code="SN006"]')).toContainText('cannot get credentials (PI002)');

  const s3 = page.getByRole('article', { name: 'Snapshot source edge-k3s/s3' });
  await expect(s3).toHaveAttribute('data-state', 'failing');
  await expect(s3.getByRole('list', { name: 'Failures at s3' })).toContainText('Access Denied');
  await expect(s3.locator('[data-finding-code="SN004"]')).toBeVisible();
  await expect(s3.locator('[data-finding-code="SN005"]')).toBeVisible();
  await expect(s3.getByRole('list', { name: 'Snapshot timeline' }).locator('[data-ok="false"]').first()).toBeVisible();
  await expect(page.getByRole('article', { name: 'Snapshot source edge-k3s/edge-k3s-server-0' })).toHaveAttribute('data-state', 'fresh');

  // The state filter lives in the URL.
  await page.getByRole('link', { name: /^failing/ }).click();
  await expect(page).toHaveURL(/state=failing/);
  await expect(page.getByRole('article')).toHaveCount(1);
  // The other states' chips still count what selecting them would show.
  // Three Restate writers are stale in the demo: payments (PI002), orders and ledger (PM001).
  await expect(page.getByRole('link', { name: /^stale/ })).toHaveText('stale 3');
});

test('the matrix filters writers by snapshot state and links each to its source', async ({ page }) => {
  await signIn(page, 'ada', '/?snapshot=stale');
  const rows = page.getByTestId('sa-row');
  await expect(rows).toHaveCount(3);
  const payments = rows.filter({ hasText: 'restate-payments' });
  await expect(payments).toHaveCount(1);
  await payments.getByRole('link', { name: /stale/ }).click();
  await expect(page).toHaveURL(/\/snapshots#source-s3-restate-snapshots-payments$/);
  await expect(page.getByRole('article', { name: 'Snapshot source s3://restate-snapshots/payments' })).toBeInViewport();
});

test('a payments operator sees the cluster-level etcd sources but not a writer outside their namespaces', async ({ page }) => {
  await signIn(page, 'ann', '/snapshots');
  await expect(page.getByRole('article', { name: 'Snapshot source edge-k3s/s3' })).toBeVisible();
  await expect(page.getByRole('article', { name: 'Snapshot source s3://restate-snapshots/payments' })).toHaveCount(0);
});

test('the API lists the sources as JSON and CSV, with validated filters', async ({ request }) => {
  const stale = (await (await request.get('/api/v1/snapshots?state=stale,failing', { headers: admin })).json()) as {
    items: { source: string; findings: { code: string }[] }[];
  };
  expect(Object.fromEntries(stale.items.map((item) => [item.source, item.findings.map((finding) => finding.code).sort()]))).toEqual({
    's3://restate-snapshots/payments': ['SN001', 'SN006'],
    's3://restate-snapshots/orders': ['SN001', 'SN006'],
    's3://restate-ledger-snapshots/ledger': ['SN001', 'SN006'],
    'edge-k3s/s3': ['SN004', 'SN005'],
  });
  const csv = await request.get('/api/v1/snapshots?format=csv&kind=restate', { headers: admin });
  expect(csv.headers()['content-type']).toContain('text/csv');
  const lines = (await csv.text()).trimEnd().split('\r\n');
  const payments = lines.filter((line) => line.includes('s3://restate-snapshots/payments'));
  expect(payments).toHaveLength(8);
  expect(payments.find((line) => line.includes(',5,stale,'))).toContain('snap_05stale');
  const invalid = await request.get('/api/v1/snapshots?kind=zfs', { headers: admin });
  expect(invalid.status()).toBe(400);
  expect(((await invalid.json()) as { error: { details: { fields: Record<string, string> } } }).error.details.fields.kind).toContain(
    'unknown kind "zfs"',
  );
});
