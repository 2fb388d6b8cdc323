import { expect, test } from '@playwright/test';
import { waitForPageData } from './support/matrix';
import { signIn } from './support/sign-in';

test.describe.configure({ timeout: 240_000 });

// Issue 14, problem 4: evidence was shown as raw keys and JSON ("Threshold Seconds 7200", "Oldest Age Seconds
// 93818", "2x-snapshot-interval", "Findings (0) []"), internal action ids in "How to fix", three timestamp
// formats, and a CSV with codes but no titles.

const ISO_IN_TEXT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

test('a stale Restate writer reads in plain words: durations, ages, the threshold reason, JSON only behind raw', async ({ page }) => {
  await signIn(page, 'ada', '/serviceaccounts/prod-use1/restate-payments/restate');
  await waitForPageData(page);
  const finding = page.locator('li[data-finding-code="SN001"]');
  await expect(finding).toBeVisible();
  const evidence = finding.getByTestId('evidence');
  const text = await evidence.innerText();
  expect(text).toMatch(/Threshold\s+2 h/);
  expect(text).toContain('twice the snapshot interval');
  expect(text).toMatch(/Oldest snapshot\s+(\d+ d )?\d+ h( \d+ min)? ago/);
  expect(text).toMatch(/Snapshot every N records\s+not set/);
  for (const raw of ['Seconds', '2x-snapshot-interval', '{', '"id"']) expect(text).not.toContain(raw);
  expect(text).not.toMatch(ISO_IN_TEXT);
  // The exact data is still there, one click away.
  await expect(finding.locator('details > summary', { hasText: 'raw' }).first()).toBeAttached();
  await expect(finding.locator('details pre').first()).toContainText('"id"');
});

test('an SA page shows times in one format with the UTC offset, action names in words and ARNs with copy', async ({ page }) => {
  await signIn(page, 'ada', '/serviceaccounts/prod-use1/payments/notifications');
  await waitForPageData(page);
  const main = await page.locator('main').innerText();
  // PI005's title said "(created 2026-12-01T00:28:58.000Z)" inside a sentence.
  expect(main).not.toMatch(ISO_IN_TEXT);
  expect(main).toMatch(/created \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC\+00:00/);
  for (const id of ['fix-trust-policy', 'open-serviceaccount', 'roll-pods', 'set-sts-regional-endpoints']) expect(main).not.toContain(id);
  expect(main).not.toContain('Findings (0)');
  await expect(page.getByRole('button', { name: /^Copy arn:aws:iam::/ }).first()).toBeAttached();
});

test('the CSV export names each finding, not only its code', async ({ page }) => {
  await signIn(page, 'ada', '/');
  const response = await page.request.get('/api/v1/serviceaccounts?format=csv&q=notifications');
  expect(response.status()).toBe(200);
  const [header, line] = (await response.text()).split('\r\n');
  expect(header.split(',')).toContain('findingTitles');
  expect(line).toContain('PI005: ');
  expect(line).toContain('lack Pod Identity credentials');
});
