import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import YAML from 'yaml';
import { signIn } from './support/sign-in';

// Issue 3 "Done when": on the demo, every story shows its findings in the matrix and on its service account's
// page, and nothing else is flagged. The expectation lives next to the scenario, in demo.expected.yaml.

interface Expected {
  serviceAccounts: { id: string; story: string; codes: string[]; chain: Record<string, 'warn' | 'fail'> }[];
  clusters: Record<string, { story?: string; codes: string[] }>;
}

const expected = YAML.parse(fs.readFileSync(path.join(__dirname, '..', 'sim', 'scenarios', 'demo.expected.yaml'), 'utf8')) as Expected;
const admin = { authorization: 'Bearer demo-platform-automation-token' };

test('the API flags exactly the demo stories: every story its codes, every other service account and cluster nothing', async ({
  request,
}) => {
  const rows = await request.get('/api/v1/serviceaccounts', { headers: admin });
  expect(rows.status()).toBe(200);
  const body = (await rows.json()) as {
    items: { cluster: string; namespace: string; name: string; findings: { code: string }[] }[];
    errors: unknown[];
  };
  expect(body.errors).toEqual([]);
  expect(body.items.length).toBeGreaterThan(250);
  const flagged = Object.fromEntries(
    body.items
      .filter((row) => row.findings.length > 0)
      .map((row) => [`${row.cluster}/${row.namespace}/${row.name}`, [...new Set(row.findings.map((finding) => finding.code))].sort()]),
  );
  expect(flagged).toEqual(Object.fromEntries(expected.serviceAccounts.map((story) => [story.id, [...story.codes].sort()])));

  const clusters = (await (await request.get('/api/v1/clusters', { headers: admin })).json()) as {
    items: { name: string; findings: { code: string }[] }[];
  };
  expect(
    Object.fromEntries(clusters.items.map((cluster) => [cluster.name, cluster.findings.map((finding) => finding.code).sort()])),
  ).toEqual(Object.fromEntries(Object.entries(expected.clusters).map(([name, cluster]) => [name, [...cluster.codes].sort()])));
});

for (const story of expected.serviceAccounts) {
  test(`story "${story.story}": ${story.id} shows ${story.codes.join(', ')} in the matrix and on its page, with the failing chain step`, async ({
    page,
  }) => {
    const [cluster, namespace, name] = story.id.split('/');
    await signIn(page, 'ada', `/?cluster=${cluster}&namespace=${namespace}&q=${name}`);
    const row = page.getByTestId('sa-row').filter({ has: page.getByRole('link', { name, exact: true }) });
    await expect(row).toHaveCount(1);
    for (const code of story.codes) await expect(row).toContainText(code);

    await page.goto(`/serviceaccounts/${cluster}/${namespace}/${name}`);
    const findings = page.getByRole('list', { name: 'Findings' });
    for (const code of story.codes) await expect(findings.locator(`[data-finding-code="${code}"]`)).toBeVisible();
    await expect(findings.locator('[data-finding-code]')).toHaveCount(story.codes.length);
    const chain = page.getByRole('list', { name: 'Credential chain' });
    for (const [step, status] of Object.entries(story.chain))
      await expect(chain.locator(`[data-step="${step}"]`)).toHaveAttribute('data-status', status);
  });
}

test('a healthy service account shows no finding and an all-green chain', async ({ page }) => {
  await signIn(page, 'ada', '/serviceaccounts/prod-use1/payments/api');
  await expect(page.getByText("Nothing is wrong with this service account's credentials.")).toBeVisible();
  const steps = page.getByRole('list', { name: 'Credential chain' }).locator('[data-step]');
  await expect(steps.first()).toBeVisible();
  for (const status of await steps.evaluateAll((items) => items.map((item) => item.getAttribute('data-status'))))
    expect(status).toBe('pass');
});

test('the cluster page shows the unused Karpenter role (PI008) and the posture', async ({ page }) => {
  await signIn(page, 'ada', '/clusters/prod-use1');
  await expect(page.locator('[data-finding-code="PI008"]')).toContainText('KarpenterController-prod-use1');
  await expect(page.getByText('eks.12')).toBeVisible();
});
