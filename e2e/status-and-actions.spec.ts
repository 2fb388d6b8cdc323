import { expect, test } from '@playwright/test';
import { waitForPageData } from './support/matrix';
import { signIn } from './support/sign-in';

test.describe.configure({ timeout: 180_000 });

// Issue 14, problem 3: one status on the clusters pages that includes snapshot health, the K3s version from
// /version, and a plain word on the etcd uploads' credentials. Problem 8: the primary action is the fix for the
// worst finding, and a fix with nothing to fix is not offered.

test('edge-k3s is not "OK" while its etcd uploads fail: the status counts its snapshot findings, and its version is known', async ({
  page,
}) => {
  await signIn(page, 'ada', '/clusters');
  await waitForPageData(page);
  const row = page.getByTestId('cluster-row').filter({ hasText: 'edge-k3s' });
  await expect(row).toContainText(/\+k3s/);
  await expect(row.locator('[data-code^="SN"]').first()).toBeVisible();
  await expect(row.getByText('OK', { exact: true })).toHaveCount(0);

  await page.goto('/clusters/edge-k3s');
  await waitForPageData(page);
  const status = page.getByTestId('cluster-status');
  await expect(status).not.toContainText('Nothing is wrong');
  await expect(status).toContainText(/[1-9]\d* snapshot finding/);
  await expect(page.getByRole('heading', { name: 'Snapshot health' })).toBeVisible();
  await expect(page.getByTestId('etcd-upload-credentials').first()).toContainText('does not reveal');
});

test('where the trust policy is the cause, its fix is the primary action and Roll pods is not', async ({ page }) => {
  await signIn(page, 'ada', '/serviceaccounts/prod-use1/restate-payments/restate');
  await waitForPageData(page);
  const actions = page.getByRole('region', { name: 'Actions' });
  const primary = actions.locator('button[data-variant="primary"]');
  await expect(primary).toHaveCount(1);
  await expect(primary).toHaveText(/^Fix PI002: .*trust policy/);
  await expect(actions.getByRole('button', { name: 'Roll pods' })).toHaveAttribute('data-variant', 'secondary');
});

test('where the trust passes, "Fix trust policy" is not offered, and the stale pods\' roll is the primary action', async ({ page }) => {
  await signIn(page, 'ada', '/serviceaccounts/prod-use1/payments/notifications');
  await waitForPageData(page);
  const actions = page.getByRole('region', { name: 'Actions' });
  await expect(actions.getByRole('button', { name: /trust policy/i })).toHaveCount(0);
  await expect(actions.locator('button[data-variant="primary"]')).toHaveText(/^Fix PI005: Restart the pods/);
  // The worst finding's fix is primary (in its finding and in Actions); every other fix is secondary.
  await expect(page.locator('button[data-variant="primary"]')).toHaveCount(2);
});
