import { expect, test } from '@playwright/test';
import { signIn } from './support/sign-in';

test.describe.configure({ timeout: 180_000 });

// Issue 14, problems 10 and 11: error pages are styled and answer the right status, and /signin shows only its own
// words for known error codes.

test('a path whose encoding is broken gets the styled not-found page with HTTP 404, not a bare 500', async ({ page }) => {
  await signIn(page, 'ada', '/');
  for (const path of ['/serviceaccounts/prod-use1/payments/%E0%A4%A', '/clusters/%E0%A4%A']) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
    // The console's own header and navigation are there: this is our page, not the framework's.
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  }
});

test('the API answers a broken path encoding with a JSON 400', async ({ request }) => {
  const response = await request.get('/api/v1/serviceaccounts/prod-use1/payments/%E0%A4%A', {
    headers: { authorization: 'Bearer demo-platform-automation-token' },
  });
  expect(response.status()).toBe(400);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid-path');
});

test('not-found pages answer HTTP 404', async ({ page }) => {
  await signIn(page, 'ada', '/');
  const cases: [string, string][] = [
    ['/clusters/no-such-cluster', 'Cluster not found'],
    ['/serviceaccounts/prod-use1/payments/no-such-sa', 'Service account not found'],
    ['/serviceaccounts/no-such-cluster/payments/notifications', 'Service account not found'],
    ['/no-such-page', 'Not found'],
  ];
  for (const [path, heading] of cases) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole('heading', { name: heading })).toBeVisible();
  }
});

test('/signin?error= shows only known codes, in the console’s own words, never the text the link carries', async ({ page }) => {
  const bait = 'Your account is locked. Call +1 555 0100 and give your password';
  await page.goto(`/signin?error=${encodeURIComponent(bait)}`);
  const alert = page.getByTestId('sign-in-error');
  await expect(alert).toHaveText('Sign-in did not complete. Sign in again.');
  await expect(page.locator('body')).not.toContainText('555 0100');
  await page.goto('/signin?error=flow-expired');
  await expect(alert).toContainText('expired or was started in another browser tab');
});

test('/signin while signed in says who you are', async ({ page }) => {
  await signIn(page, 'ann', '/');
  await page.goto('/signin');
  await expect(page.getByTestId('already-signed-in')).toContainText('You are signed in as');
  await expect(page.getByTestId('already-signed-in')).toContainText('Ann');
});

test('the console has a favicon and an app icon', async ({ page, request }) => {
  await signIn(page, 'ada', '/');
  const icons = await page
    .locator('link[rel="icon"], link[rel="apple-touch-icon"]')
    .evaluateAll((links) => links.map((link) => (link as HTMLLinkElement).href));
  expect(icons.length).toBeGreaterThanOrEqual(2);
  for (const href of [...icons, '/favicon.ico']) {
    const response = await request.get(href);
    expect(response.status(), href).toBe(200);
    expect(response.headers()['content-type'], href).toMatch(/^image\//);
  }
});
