import { describe, expect, it } from 'vitest';
import type { Finding } from '@/lib/model/finding';
import type { ServiceAccountRow } from '@/lib/model/identity-row';
import { unknownFilterValues, parseMatrixView, viewSearch } from './row-filters';
import {
  filterFacets,
  filterLastingRows,
  filterServiceAccountRows,
  pageOf,
  searchNamesRow,
  severityCounts,
  sortServiceAccountRows,
} from './row-match';

function finding(code: string, severity: Finding['severity'], title = code): Finding {
  return { code, severity, title, evidence: {}, subject: { kind: 'cluster', cluster: 'c' } };
}

function row(
  cluster: string,
  namespace: string,
  name: string,
  findings: Finding[] = [],
  extra: Partial<ServiceAccountRow> = {},
): ServiceAccountRow {
  const worst = findings.some((f) => f.severity === 'error')
    ? 'error'
    : findings.some((f) => f.severity === 'warning')
      ? 'warning'
      : findings.length
        ? 'info'
        : null;
  return {
    cluster,
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
    ...extra,
  };
}

const rows = [
  row('prod', 'payments', 'api', [finding('PI005', 'warning', 'Pods lack the env')], {
    mechanism: 'pod-identity',
    podIdentity: {
      associationId: 'a-1',
      roleArn: 'arn:aws:iam::111122223333:role/payments-api',
      targetRoleArn: null,
      ownerArn: null,
      disableSessionTags: false,
    },
  }),
  row('prod', 'payments', 'refunds', [finding('PI001', 'error'), finding('PI005', 'warning')], { mechanism: 'pod-identity' }),
  row('staging', 'data', 'etl', [finding('ST002', 'info')], { mechanism: 'irsa', pods: { total: 5, stale: 2 } }),
  row('staging', 'data', 'default'),
  row('dr', 'payments', 'api', [], { mechanism: 'unknown', pods: { total: null, stale: null } }),
];

describe('matrix filters', () => {
  it('selects rows by finding code, case-insensitively and any of a list', () => {
    const view = parseMatrixView(new URLSearchParams('code=pi005'));
    expect(view.success && filterServiceAccountRows(rows, view.data).map((r) => r.name)).toEqual(['api', 'refunds']);
    const both = parseMatrixView(new URLSearchParams('code=PI001,ST002'));
    expect(both.success && filterServiceAccountRows(rows, both.data).map((r) => `${r.cluster}/${r.name}`)).toEqual([
      'prod/refunds',
      'staging/etl',
    ]);
  });

  it('selects by worst severity, with ok meaning no findings', () => {
    const ok = parseMatrixView({ severity: 'ok' });
    expect(ok.success && filterServiceAccountRows(rows, ok.data).map((r) => `${r.cluster}/${r.name}`)).toEqual([
      'staging/default',
      'dr/api',
    ]);
    const warning = parseMatrixView({ severity: 'warning' });
    // refunds has a PI005 warning too, but its worst finding is an error.
    expect(warning.success && filterServiceAccountRows(rows, warning.data).map((r) => r.name)).toEqual(['api']);
  });

  it('searches names and role ARNs with free text, and combines filters with AND', () => {
    const view = parseMatrixView({ q: 'PAYMENTS-API', cluster: 'prod' });
    expect(view.success && filterServiceAccountRows(rows, view.data).map((r) => r.name)).toEqual(['api']);
    const mech = parseMatrixView({ mechanism: 'unknown' });
    expect(mech.success && filterServiceAccountRows(rows, mech.data).map((r) => r.cluster)).toEqual(['dr']);
  });

  it('rejects unknown values and names the field', () => {
    const view = parseMatrixView({ severity: 'critical', code: 'PI5', sort: 'color', page: '0' });
    expect(view.success).toBe(false);
    const fields = view.success ? [] : view.error.issues.map((issue) => issue.path.join('.'));
    expect(fields.sort()).toEqual(['code', 'page', 'severity', 'sort']);
  });

  it('counts rows per severity with every filter but severity applied', () => {
    const view = parseMatrixView({ severity: 'error', cluster: 'prod,staging' });
    expect(view.success && severityCounts(rows, view.data)).toEqual({ error: 1, warning: 1, info: 1, ok: 1 });
  });
});

describe('sorting and paging', () => {
  it('puts the worst rows first by default and breaks ties by identity', () => {
    expect(sortServiceAccountRows(rows).map((r) => `${r.cluster}/${r.name}`)).toEqual([
      'prod/refunds',
      'prod/api',
      'staging/etl',
      'dr/api',
      'staging/default',
    ]);
  });

  it('sorts by pods descending with unknown counts last', () => {
    expect(sortServiceAccountRows(rows, '-pods').map((r) => r.pods.total)).toEqual([5, 1, 1, 1, null]);
  });

  it('pages 100 rows at a time and clamps a page past the end', () => {
    const many = Array.from({ length: 250 }, (_, i) => row('c', 'ns', `sa-${String(i).padStart(3, '0')}`));
    const third = pageOf(many, 3);
    expect([third.items.length, third.items[0].name, third.pageCount]).toEqual([50, 'sa-200', 3]);
    expect(pageOf(many, 9).page).toBe(3);
  });

  it('writes short shareable search strings', () => {
    expect(viewSearch({ code: ['PI005'], page: 1, sort: '-severity', q: '' })).toBe('?code=PI005');
    expect(viewSearch({ cluster: 'prod', page: 2, sort: 'name' })).toBe('?cluster=prod&sort=name&page=2');
  });
});

describe('the snapshot column filter', () => {
  const writers = [
    row('prod', 'restate', 'restate', [], { snapshots: { state: 'stale', oldestAgeSeconds: 93600, sources: ['s3://b/p'] } }),
    row('prod', 'restate-2', 'restate', [], { snapshots: { state: 'fresh', oldestAgeSeconds: 60, sources: ['s3://b/q'] } }),
    row('prod', 'payments', 'api'),
  ];

  it('selects writers by the worst state of their sources, and `none` for rows that write no snapshots', () => {
    const stale = parseMatrixView(new URLSearchParams('snapshot=stale,failing'));
    expect(stale.success && filterServiceAccountRows(writers, stale.data).map((r) => r.namespace)).toEqual(['restate']);
    const none = parseMatrixView(new URLSearchParams('snapshot=none'));
    expect(none.success && filterServiceAccountRows(writers, none.data).map((r) => r.namespace)).toEqual(['payments']);
    expect(viewSearch({ snapshot: 'stale' })).toBe('?snapshot=stale');
    expect(parseMatrixView(new URLSearchParams('snapshot=old')).success).toBe(false);
  });
});

describe('filter choices narrow each other', () => {
  it('offers only the namespaces of the chosen cluster, and only codes that occur, each with its row count', () => {
    const facets = filterFacets(rows, { cluster: ['staging'] });
    expect(facets.namespaces).toEqual([{ value: 'data', count: 2 }]);
    expect(facets.codes).toEqual([{ value: 'ST002', count: 1 }]);
    // The cluster picker itself is not narrowed by the cluster filter, so another cluster stays one choice away.
    expect(facets.clusters.map((option) => option.value)).toEqual(['dr', 'prod', 'staging']);
  });

  it('counts a row once per code even when it has the code twice', () => {
    const twice = [row('prod', 'payments', 'x', [finding('PI005', 'warning'), finding('PI005', 'warning')])];
    expect(filterFacets(twice, {}).codes).toEqual([{ value: 'PI005', count: 1 }]);
  });

  it('names a cluster the caller cannot see and a code no service account carries', () => {
    const issues = unknownFilterValues({ cluster: ['prod', 'nope'], code: ['PI005', 'CL001'] }, { clusters: ['prod'], codes: ['PI005'] });
    expect(issues).toEqual([
      { path: ['cluster'], message: 'no cluster you can see is named "nope"' },
      { path: ['code'], message: 'CL001 is not a code a service account can have' },
    ]);
    expect(unknownFilterValues({ cluster: ['prod'] }, { clusters: ['prod'], codes: [] })).toEqual([]);
  });
});

describe("matches outside the caller's scope", () => {
  const hidden = { cluster: 'prod-use1', namespace: 'restate-payments', name: 'restate' };
  it('counts a search that names a whole word of the cluster, namespace or name', () => {
    for (const q of ['restate', 'RESTATE', 'payments', 'restate-payments/restate', 'prod-use1'])
      expect(searchNamesRow(hidden, q), q).toBe(true);
  });
  it('does not count a partial word, so hidden names cannot be spelled out letter by letter', () => {
    for (const q of ['resta', 'r', 'estate', 'payment', '', '  ']) expect(searchNamesRow(hidden, q), q).toBe(false);
  });
});

describe('a search of a lasting array (its index)', () => {
  const names = (list: ServiceAccountRow[]) => list.map((r) => `${r.cluster}/${r.namespace}/${r.name}`);

  it('lists the rows the per-row search lists, in the same order, for every substring of every row', () => {
    const lasting = sortServiceAccountRows(rows);
    const texts = lasting.flatMap((r) => [r.cluster, r.name, `${r.namespace}/${r.name}`, ...r.findings.map((f) => f.title)]);
    const needles = new Set(texts.flatMap((text) => [text, text.slice(1), text.slice(0, 3), text.toUpperCase()]));
    for (const needle of ['pi005 pods', 'missing', 'a', '-', ':role/payments-api', ...needles]) {
      const filters = { q: needle };
      expect(names(filterLastingRows(lasting, filters)), needle).toEqual(names(filterServiceAccountRows(lasting, filters)));
    }
  });

  it("never matches across two rows' texts, nor a separator typed into the search", () => {
    const lasting = [row('c', 'n', 'first-tail'), row('c', 'n', 'head-second')];
    expect(filterLastingRows(lasting, { q: 'tail' })).toHaveLength(1);
    // A row's text ends with its mechanism and the next one starts with its cluster: the end of one and the
    // start of the next, with or without what lies between them in the index, or a separator alone.
    for (const q of ['nonec', 'none\nc', 'none\u0000c', 'none\u0000', '\u0000'])
      expect(filterLastingRows(lasting, { q }), JSON.stringify(q)).toEqual([]);
  });

  it('lists a row once however often its text holds the search, and finds the last row', () => {
    const lasting = [row('x', 'x', 'x-x-x'), row('y', 'y', 'y'), row('x', 'last', 'x')];
    expect(names(filterLastingRows(lasting, { q: 'x' }))).toEqual(['x/x/x-x-x', 'x/last/x']);
    expect(filterLastingRows([], { q: 'x' })).toEqual([]);
  });

  it('applies the other filters to what the search found', () => {
    const lasting = sortServiceAccountRows(rows);
    const filters = { q: 'payments', cluster: ['prod'], code: ['PI001'] };
    expect(names(filterLastingRows(lasting, filters))).toEqual(names(filterServiceAccountRows(lasting, filters)));
    expect(names(filterLastingRows(lasting, filters))).toEqual(['prod/payments/refunds']);
  });
});
