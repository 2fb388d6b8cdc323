import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from '@playwright/test';
import { repoRoot } from './console-process';
import { DEMO_USERS } from './demo-identity';
import { startDemoStack } from './demo-stack';

// `npm run screenshots`: retakes the README's pictures from the real console on the demo fleet, at the sizes the
// README promises (a 1440×900 laptop and a 390×844 phone), signed in as the platform admin through the local
// identity provider, in Debian's Chromium. It also fails when a page scrolls sideways at either size, which would
// hide a column from the picture and from users.
const SHOTS: { file: string; path: string; width: number; height: number; dialog?: string }[] = [
  { file: 'screenshot.png', path: '/', width: 1440, height: 900 },
  { file: 'screenshot-phone.png', path: '/', width: 390, height: 844 },
  {
    file: 'guided-action.png',
    path: '/serviceaccounts/prod-use1/restate-payments/restate',
    width: 1440,
    height: 900,
    dialog: 'Fix',
  },
  { file: 'snapshots.png', path: '/snapshots', width: 1440, height: 900 },
];

async function signIn(page: Page, consoleUrl: string, username: string) {
  const user = DEMO_USERS.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`no demo user ${username}`);
  await page.goto(`${consoleUrl}/`);
  await page.getByRole('link', { name: 'Sign in with SSO' }).click();
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-user').waitFor();
}

async function main() {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '3400' }, out: { type: 'string', default: 'docs' } } });
  const port = Number(values.port);
  const stack = await startDemoStack({
    port,
    scenarioFile: path.join(repoRoot, 'sim', 'scenarios', 'demo.yaml'),
    dataDir: path.join(repoRoot, '.data', 'screenshots'),
    log: () => {},
  });
  const { consoleUrl } = stack;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const overflowing: string[] = [];
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    // A first visit compiles nothing (the build is done) but may wait on the first collection of the fleet.
    page.setDefaultTimeout(120_000);
    await signIn(page, consoleUrl, 'ada');
    for (const shot of SHOTS) {
      await page.setViewportSize({ width: shot.width, height: shot.height });
      await page.goto(`${consoleUrl}${shot.path}`);
      await page.locator('main').waitFor();
      // Wait for the data, not for a fixed time: the skeletons and "Loading" statuses are gone.
      await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), undefined, { timeout: 60_000 });
      if (shot.dialog) {
        await page
          .getByRole('region', { name: 'Actions' })
          .getByRole('button', { name: new RegExp(`^${shot.dialog}`) })
          .first()
          .click();
        await page.getByRole('dialog').getByRole('button', { name: 'Apply' }).waitFor({ timeout: 60_000 });
      }
      const width = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (width > 0) overflowing.push(`${shot.path} at ${shot.width}×${shot.height} scrolls ${width} px sideways`);
      const file = path.resolve(repoRoot, values.out!, shot.file);
      await page.screenshot({ path: file });
      console.log(`${file}  ${shot.width}×${shot.height}  ${shot.path}`);
    }
  } finally {
    await browser.close();
    await stack.stop();
  }
  if (overflowing.length) throw new Error(`horizontal overflow:\n  ${overflowing.join('\n  ')}`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
