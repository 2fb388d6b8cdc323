import { expect, type Page } from '@playwright/test';
import { DEMO_USERS } from '../scripts/demo-identity';

/** Signs in through the real OIDC flow (the local provider global setup started) and lands on `returnTo`. */
export async function signInAs(page: Page, username: string, returnTo = '/') {
  const user = DEMO_USERS.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`no demo user ${username}`);
  await page.goto(returnTo);
  await expect(page).toHaveURL(/\/signin\?returnTo=/);
  await page.getByRole('link', { name: 'Sign in with SSO' }).click();
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-user')).toContainText(user.name);
}
