import { expect, test } from '@playwright/test';
import { DEMO_USERS } from '../scripts/demo-identity';
import { signIn } from './support/sign-in';

// Issue 5: sign-in through the real OIDC flow (a local oidc-provider), scoped activity, and sign-out.

test('the sign-in page lists the demo users of every team and role', async ({ page }) => {
  await page.goto('/activity');
  await expect(page).toHaveURL(/\/signin/);
  for (const user of DEMO_USERS) {
    const row = page.getByRole('row').filter({ hasText: user.username });
    await expect(row).toContainText(user.team);
    await expect(row).toContainText(user.role);
  }
});

test('a wrong password at the identity provider does not sign anyone in', async ({ page }) => {
  await page.goto('/signin');
  await page.getByRole('link', { name: 'Sign in with SSO' }).click();
  await page.getByLabel('Username').fill('ann');
  await page.getByLabel('Password').fill('not-her-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await page.goto('/activity');
  await expect(page).toHaveURL(/\/signin/);
});

test('signing in through OIDC lands on the page asked for, records the sign-in, and signing out ends access', async ({ page }) => {
  await signIn(page, 'ann');
  await expect(page).toHaveURL(/\/activity$/);
  await expect(page.getByRole('heading', { name: 'Activity' })).toBeVisible();
  const ownSignIn = page.getByTestId('activity-entry').filter({ hasText: 'ann (oidc) signed in' });
  await expect(ownSignIn.first()).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  // RP-initiated logout ends the identity provider's session too, without a second question (issue 14).
  await expect(page).toHaveURL(/\/signin\?signedOut=1/);
  await page.goto('/activity');
  await expect(page).toHaveURL(/\/signin\?returnTo=/);
  await expect(page.getByTestId('signed-in-user')).toHaveCount(0);
});

test('a team member sees only their own entries on the Activity page; an admin sees everyone', async ({ browser }) => {
  // Three full OIDC sign-ins: over a minute when the shared machine is busy.
  test.setTimeout(180_000);
  const annContext = await browser.newContext();
  const annPage = await annContext.newPage();
  await signIn(annPage, 'ann');

  const danContext = await browser.newContext();
  const danPage = await danContext.newPage();
  await signIn(danPage, 'dan');
  await danPage.goto('/activity?type=sign-in');
  const entries = (page: typeof danPage, who: string) => page.getByTestId('activity-entry').filter({ hasText: `${who} (oidc) signed in` });
  await expect(entries(danPage, 'dan').first()).toBeVisible();
  await expect(entries(danPage, 'ann')).toHaveCount(0);

  const adaContext = await browser.newContext();
  const adaPage = await adaContext.newPage();
  await signIn(adaPage, 'ada');
  await adaPage.goto('/activity?type=sign-in');
  await expect(entries(adaPage, 'ann').first()).toBeVisible();
  await expect(entries(adaPage, 'dan').first()).toBeVisible();

  await Promise.all([annContext.close(), danContext.close(), adaContext.close()]);
});
