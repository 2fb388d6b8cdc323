import { expect, type Page } from '@playwright/test';
import { DEMO_USERS } from '../../scripts/demo-identity';

function demoUser(username: string) {
  const user = DEMO_USERS.find((u) => u.username === username);
  if (!user) throw new Error(`no demo user ${username}`);
  return user;
}

export async function signIn(page: Page, username: string, returnTo = '/activity') {
  await page.goto(returnTo);
  await expect(page).toHaveURL(/\/signin\?returnTo=/);
  await page.getByRole('link', { name: 'Sign in with SSO' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to the local identity provider' })).toBeVisible();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(demoUser(username).password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-user')).toContainText(demoUser(username).name);
}
