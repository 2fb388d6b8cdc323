import { expect, test, type Page } from '@playwright/test';
import { waitForPageData } from './support/matrix';
import { signIn } from './support/sign-in';

test.describe.configure({ timeout: 180_000 });

// Issue 14, problem 2: every column readable without sideways scrolling at laptop widths, and a phone gets cards
// and a menu instead of a page wider than the screen.

const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
] as const;

const PAGES = [
  '/',
  '/clusters',
  '/clusters/edge-k3s',
  '/snapshots',
  '/serviceaccounts/prod-use1/payments/notifications',
  '/activity',
  '/signin',
];

async function pageOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

for (const viewport of VIEWPORTS) {
  test.describe(`at ${viewport.width}x${viewport.height}`, () => {
    test.use({ viewport });

    test('no page scrolls sideways', async ({ page }) => {
      await signIn(page, 'ada', '/');
      await waitForPageData(page);
      for (const path of PAGES) {
        await page.goto(path);
        await expect(page.locator('main h1').first()).toBeVisible();
        // Everything streamed in; the live refresh keeps the network busy, so networkidle is no signal here.
        await waitForPageData(page);
        expect(await pageOverflow(page), `${path} is wider than the ${viewport.width} px screen`).toBeLessThanOrEqual(0);
      }
    });

    test('the matrix shows the findings of the worst row on screen, with every column inside the screen', async ({ page }) => {
      await signIn(page, 'ada', '/');
      await waitForPageData(page);
      const row = page.getByTestId('sa-row').first();
      await expect(row).toBeVisible();
      // The worst row (default sort) names its finding codes, fully inside the viewport.
      const badge = row.locator('[data-code]').first();
      await expect(badge).toBeInViewport({ ratio: 1 });
      const box = await badge.boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width);
      if (viewport.width >= 1280) {
        // Every header cell ends inside the screen: nothing is cut off at the right.
        for (const header of await page.getByRole('table', { name: 'Service accounts' }).locator('thead th').all()) {
          const headerBox = await header.boundingBox();
          expect(headerBox!.x + headerBox!.width, `column "${await header.innerText()}"`).toBeLessThanOrEqual(viewport.width);
        }
      } else {
        // A phone: one card per row, its findings above the rest.
        const findings = await row.locator('td[data-label="Findings"]').boundingBox();
        const cluster = await row.locator('td[data-label="Cluster"]').boundingBox();
        expect(findings!.y).toBeLessThan(cluster!.y);
        await expect(row.locator('td[data-label="Service account"]')).toBeInViewport();
      }
    });
  });
}

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('navigation, the user and Sign out are behind a Menu button, not off-screen', async ({ page }) => {
    await signIn(page, 'ada', '/');
    await waitForPageData(page);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav).toBeHidden();
    await page.getByRole('button', { name: 'Menu' }).click();
    await expect(nav.getByRole('link', { name: 'Activity' })).toBeInViewport();
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeInViewport();
    await expect(page.getByTestId('signed-in-user')).toBeInViewport();
    await nav.getByRole('link', { name: 'Clusters' }).click();
    await expect(page).toHaveURL(/\/clusters$/);
    await expect(nav).toBeHidden();
  });
});
