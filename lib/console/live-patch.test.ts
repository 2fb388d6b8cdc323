import { describe, expect, it } from 'vitest';
import type { Finding } from '@/lib/model/finding';
import type { ClusterRow, ServiceAccountRow } from '@/lib/model/identity-row';
import { patchClusterList, patchMatrixPage, patchServiceAccountDetail, viewOfSearch } from './live-patch';
import { filterServiceAccountRows, pageOf, severityCounts, sortServiceAccountRows } from './row-match';

function finding(code: string, severity: Finding['severity']): Finding {
  return { code, severity, title: code, evidence: {}, subject: { kind: 'cluster', cluster: 'c' } };
}

function row(namespace: string, name: string, findings: Finding[] = []): ServiceAccountRow {
  const worst = findings.find((f) => f.severity === 'error')?.severity ?? findings.find((f) => f.severity === 'warning')?.severity ?? null;
  return {
    cluster: 'prod',
    namespace,
    name,
    exists: true,
    podIdentity: null,
    irsa: null,
    sts: { annotation: null, desired: 'regional', running: { regional: 0, legacy: 0, unset: 0 } },
    pods: { total: 1, stale: 0 },
    mechanism: 'none',
    findings,
    worstSeverity: worst,
  };
}

const fleet = [
  row('payments', 'api', [finding('PI005', 'warning')]),
  row('payments', 'worker'),
  row('payments', 'cron', [finding('PI001', 'error')]),
  row('reports', 'exporter'),
  row('reports', 'mailer', [finding('PI005', 'warning')]),
];

/** The page the server would answer for `search` over `rows` (lib/console/matrix-page.ts, without paging past one). */
function serverPage(rows: ServiceAccountRow[], search: string, pageSize = 100) {
  const { filters, sort } = viewOfSearch(search);
  const { severity, ...others } = filters;
  const unpaged = sortServiceAccountRows(filterServiceAccountRows(rows, others), sort);
  const shown = severity ? filterServiceAccountRows(unpaged, { severity }) : unpaged;
  const { items, total } = pageOf(shown, 1, pageSize);
  return { items, total, severityCounts: severityCounts(unpaged, {}) };
}

const at = '2026-12-01T00:00:00Z';

describe('patchMatrixPage', () => {
  it('reads the filters and sort of an API search string as the server does', () => {
    expect(viewOfSearch('namespace=payments,reports&code=pi005&q=+api+&sort=name')).toEqual({
      filters: expect.objectContaining({ namespace: ['payments', 'reports'], code: ['PI005'], q: 'api' }),
      sort: 'name',
    });
    expect(viewOfSearch('').sort).toBe('-severity');
  });

  it('replaces a row that still matches and re-sorts the page, as a re-read would show it', () => {
    const search = 'namespace=payments';
    const page = serverPage(fleet, search);
    const changed = row('payments', 'worker', [finding('PI001', 'error'), finding('PI005', 'warning')]);
    const after = fleet.map((r) => (r.name === 'worker' ? changed : r));
    const patch = patchMatrixPage(page, search, { at, upserts: [changed], removed: [] });
    expect(patch.refetch).toBe(false);
    expect(patch.page).toEqual(serverPage(after, search));
  });

  it('drops a row that stops matching a filter, and one that is gone, moving the total and the chips', () => {
    const search = 'code=PI005';
    const page = serverPage(fleet, search);
    const fixed = row('payments', 'api');
    const patch = patchMatrixPage(page, search, {
      at,
      upserts: [fixed],
      removed: [{ cluster: 'prod', namespace: 'reports', name: 'mailer' }],
    });
    expect(patch.page.items).toEqual([]);
    expect(patch.page.total).toBe(0);
    expect(patch.page).toEqual(serverPage([fixed, ...fleet.filter((r) => r.name !== 'api' && r.name !== 'mailer')], search));
  });

  it('keeps the severity chip of a row the severity filter now hides', () => {
    const search = 'severity=warning';
    const page = serverPage(fleet, search);
    const worse = row('payments', 'api', [finding('PI001', 'error')]);
    const patch = patchMatrixPage(page, search, { at, upserts: [worse], removed: [] });
    expect(patch.page).toEqual(
      serverPage(
        fleet.map((r) => (r.name === 'api' ? worse : r)),
        search,
      ),
    );
    expect(patch.refetch).toBe(false);
  });

  it('asks to re-read the page when a row not on it now belongs there, and leaves other pages alone', () => {
    const search = 'code=PI005';
    const page = serverPage(fleet, search);
    const entering = row('reports', 'exporter', [finding('PI005', 'warning')]);
    expect(patchMatrixPage(page, search, { at, upserts: [entering], removed: [] })).toEqual({ page, refetch: true });
    const elsewhere = row('payments', 'worker', [finding('PI001', 'error')]);
    expect(patchMatrixPage(page, search, { at, upserts: [elsewhere], removed: [] })).toEqual({ page, refetch: false });
  });
});

describe('patchClusterList', () => {
  const cluster = (name: string, region: string) => ({ name, region }) as unknown as ClusterRow;
  it('replaces and removes clusters by name, and asks to re-read for one it has not listed', () => {
    const list = { items: [cluster('a', 'us-east-1'), cluster('b', 'us-east-1')], collectedAt: at };
    expect(patchClusterList(list, { at, upserts: [cluster('a', 'eu-west-1')], removed: ['b'] })).toEqual({
      page: { items: [cluster('a', 'eu-west-1')], collectedAt: at },
      refetch: false,
    });
    expect(patchClusterList(list, { at, upserts: [cluster('c', 'us-east-1')], removed: [] })).toEqual({ page: list, refetch: true });
  });
});

describe('patchServiceAccountDetail', () => {
  it("takes the pushed row's findings and counts, and keeps the chain and pods until they are re-read", () => {
    const { pods, ...fields } = row('payments', 'api');
    const detail = { ...fields, podCounts: pods, chain: [{ step: 'irsa' }], pods: [{ name: 'api-1' }] };
    const pushed = { ...row('payments', 'api', [finding('IR007', 'warning')]), pods: { total: 2, stale: 1 } };
    expect(patchServiceAccountDetail(detail, pushed)).toEqual({
      ...detail,
      findings: pushed.findings,
      worstSeverity: 'warning',
      podCounts: { total: 2, stale: 1 },
    });
  });
});
