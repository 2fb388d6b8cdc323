import { expect, type BrowserContext, type Page } from '@playwright/test';
import { DEMO_USERS } from '../../scripts/demo-identity';

function demoUser(username: string) {
  const user = DEMO_USERS.find((u) => u.username === username);
  if (!user) throw new Error(`no demo user ${username}`);
  return user;
}

type Cookies = Awaited<ReturnType<BrowserContext['cookies']>>;

// The cookies (console session and identity provider session) of each user's last full sign-in, per worker. A later
// signIn starts from them and does the whole OIDC flow again only when the console sends it to /signin (the session
// was signed out, revoked or expired): ~70 tests each signing in through the provider's pages cost minutes of CI.
const lastSignIn = new Map<string, Cookies>();

/** Signs in through the real OIDC flow (the local provider global setup started) and lands on `returnTo`. */
export async function signIn(page: Page, username: string, returnTo = '/activity') {
  const user = demoUser(username);
  const saved = lastSignIn.get(username);
  const signedIn = page.getByTestId('signed-in-user');
  const signInLink = page.getByRole('link', { name: 'Sign in with SSO' });
  if (saved) await page.context().addCookies(saved);
  await page.goto(returnTo);
  if (saved) {
    // The page decides, not the address goto settled on: a refused session may be sent to /signin after that. The
    // user may be attached but hidden (inside the Menu on a phone).
    await expect(signedIn.or(signInLink).first()).toBeAttached();
    if ((await signedIn.count()) > 0) {
      await expect(signedIn).toContainText(user.name);
      return;
    }
  }
  await expect(page).toHaveURL(/\/signin\?returnTo=/);
  await signInLink.click();
  const form = page.getByRole('heading', { name: 'Sign in to the local identity provider' });
  // The provider may still know the user (its own session), and then sends the browser straight back.
  await expect(form.or(signedIn)).toBeVisible();
  if (await form.isVisible()) {
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  await expect(signedIn).toContainText(user.name);
  lastSignIn.set(username, await page.context().cookies());
}
