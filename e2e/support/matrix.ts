import { expect, type Page } from '@playwright/test';

/**
 * Waits until the matrix (or any page) has streamed in fully: no skeleton and no Kubernetes-first placeholder
 * left. Rebuilding the demo fleet's view took 18 s on a loaded 2-core machine, longer than expect's default.
 */
export async function waitForPageData(page: Page): Promise<void> {
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0, { timeout: 90_000 });
}
