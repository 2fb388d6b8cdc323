import { beforeEach, describe, expect, it, vi } from 'vitest';
import { teamsConfigSchema } from '@/lib/auth/config-schema';
import { resolvePrincipal } from '@/lib/auth/principal';
import { scopeFor } from '@/lib/auth/scope';
import type { ClusterTarget } from '@/lib/config/cluster-targets';
import { ACCOUNT, REGION, eksCluster, fleet, roleArn, serviceAccount } from '@/lib/identity/test-fixtures';
import type { FleetState } from '@/lib/model/cluster-state';
import type { Finding } from '@/lib/model/finding';
import type { EtcdSnapshotSource, RestateSnapshotSource, SnapshotSource } from '@/lib/snapshots/types';

// The fleet queries the pages and the API read, from a collected fleet and the snapshot sources read from S3 (the
// I/O edges, answered below) to the rows a caller sees: identity findings and the snapshot findings of the sources a
// service account writes end up on one row, which the matrix's filters, the detail page and scope all see alike.

const world = vi.hoisted(() => ({
  fleet: undefined as unknown as FleetState,
  sources: [] as unknown[],
  collections: 0,
  /** When set, a collection waits for this before it answers (a slow fleet). */
  gate: undefined as Promise<void> | undefined,
}));

vi.mock('@/lib/config/cluster-targets', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  resolveClusterTargets: (): ClusterTarget[] => [
    { name: 'prod', context: 'prod-ctx', eks: { name: 'prod', region: REGION, account: ACCOUNT } },
  ],
}));
vi.mock('@/lib/collect', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  collectFleet: async () => {
    world.collections += 1;
    const fleet = world.fleet; // what the collection read when it started
    await world.gate;
    return fleet;
  },
  discoverClusterTargets: async () => ({ targets: [], sourceErrors: [] }),
  kubeInformers: () => ({ configure: () => undefined, subscribe: () => () => undefined, health: () => undefined }),
}));
vi.mock('@/lib/snapshots', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  readSnapshotSources: async () => world.sources,
}));

const { currentFleetView, forgetFleetView, getServiceAccountDetail, getServiceAccountRows } = await import('./queries');
const { withSnapshotState } = await import('./fleet-extensions');

const sn = (code: string, source: string): Finding => ({
  code,
  severity: code === 'SN005' ? 'warning' : 'error',
  subject: { kind: 'snapshot-source', source },
  title: code,
  evidence: {},
});

const restate: RestateSnapshotSource = {
  kind: 'restate',
  cluster: 'prod',
  source: 's3://restate-snapshots/orders',
  writer: { cluster: 'prod', namespace: 'restate', serviceAccount: 'restate' },
  state: 'stale',
  origin: [{ kind: 'RestateCluster', cluster: 'prod', name: 'restate' }],
  threshold: { seconds: 7200, reason: '2x-snapshot-interval' },
  partitions: [],
  problems: [],
  findings: [sn('SN001', 's3://restate-snapshots/orders')],
};
const etcd: EtcdSnapshotSource = {
  kind: 'etcd',
  cluster: 'prod',
  source: 'prod/s3',
  state: 'failing',
  origin: [{ kind: 'ETCDSnapshotFile', cluster: 'prod' }],
  records: 'ETCDSnapshotFile',
  schedule: { expression: '0 */12 * * *', intervalSeconds: 43200 },
  locations: [],
  problems: [],
  findings: [sn('SN004', 'prod/s3')],
};

const teams = teamsConfigSchema.parse({
  teams: [{ name: 'payments', groups: ['payments'], clusters: [{ cluster: 'prod', namespaces: ['payments'], role: 'viewer' }] }],
  admins: { groups: ['admins'] },
});
const admin = scopeFor(resolvePrincipal({ subject: 'root', groups: ['admins'], via: 'proxy' }, teams), teams);
const payments = scopeFor(resolvePrincipal({ subject: 'ann', groups: ['payments'], via: 'proxy' }, teams), teams);

const codesOf = (findings: Finding[]) => findings.map((finding) => finding.code).sort();

beforeEach(() => {
  // restate/restate is annotated for IRSA with a role IAM does not have (IR002), payments/api has nothing to say.
  world.fleet = fleet(
    [
      eksCluster({
        serviceAccounts: [
          serviceAccount('payments', 'api'),
          serviceAccount('restate', 'restate', { 'eks.amazonaws.com/role-arn': roleArn('restate-snapshots') }),
        ],
      }),
    ],
    { roles: { [roleArn('restate-snapshots')]: { status: 'missing' } } },
  );
  world.sources = [restate, etcd] satisfies SnapshotSource[];
  world.collections = 0;
  world.gate = undefined;
  vi.useRealTimers();
  forgetFleetView();
});

describe('fleet queries', () => {
  it('joining the snapshot state to rows that have it already changes nothing (a patch keeps rows it did not touch)', async () => {
    const view = await currentFleetView();
    const writer = view.rows.find((row) => row.namespace === 'restate')!;
    expect(codesOf(writer.findings)).toEqual(['IR002', 'SN001', 'SN006']);
    const again = withSnapshotState(view.rows, view.snapshotSources);
    expect(again).toEqual(view.rows);
    // A source gone: the row is the identity core's again.
    const without = withSnapshotState(view.rows, []).find((row) => row.namespace === 'restate')!;
    expect(codesOf(without.findings)).toEqual(['IR002']);
    expect(without.snapshots).toBeUndefined();
  });

  it("joins a source's snapshot findings and freshness to its writer's row, next to the identity findings that explain them", async () => {
    const { items } = await getServiceAccountRows({}, admin);
    const writer = items.find((row) => row.namespace === 'restate')!;
    // SN006 links the stale snapshots to the broken identity (IR002) of the service account that writes them.
    expect(codesOf(writer.findings)).toEqual(['IR002', 'SN001', 'SN006']);
    expect(writer.worstSeverity).toBe('error');
    expect(writer.snapshots).toMatchObject({ state: 'stale', sources: ['s3://restate-snapshots/orders'] });
    // A source without a writer joins no row; a service account that writes nothing is left as it was.
    const other = items.find((row) => row.namespace === 'payments')!;
    expect(other.snapshots).toBeUndefined();
    expect(items.flatMap((row) => row.findings).some((finding) => finding.code === 'SN004')).toBe(false);
  });

  it('the code and severity filters find a service account by its snapshot findings', async () => {
    const byCode = await getServiceAccountRows({ code: ['SN001'] }, admin);
    expect(byCode.items.map((row) => `${row.namespace}/${row.name}`)).toEqual(['restate/restate']);
    const byError = await getServiceAccountRows({ severity: ['error'] }, admin);
    expect(byError.items.map((row) => `${row.namespace}/${row.name}`)).toEqual(['restate/restate']);
  });

  it("the detail page shows the row's findings, snapshot ones included, and its freshness", async () => {
    const detail = await getServiceAccountDetail('prod', 'restate', 'restate', admin);
    expect(codesOf(detail!.findings)).toEqual(['IR002', 'SN001', 'SN006']);
    expect(detail!.snapshots?.state).toBe('stale');
  });

  it('scope: rows outside the caller’s namespaces are absent, a search that names them says only how many', async () => {
    const mine = await getServiceAccountRows({}, payments);
    expect(mine.items.map((row) => `${row.namespace}/${row.name}`)).toEqual(['payments/api']);
    expect(mine.outsideScope).toBeUndefined();
    const searched = await getServiceAccountRows({ q: 'restate' }, payments);
    expect(searched.items).toEqual([]);
    expect(searched.outsideScope).toBe(1);
    expect(await getServiceAccountDetail('prod', 'restate', 'restate', payments)).toBeNull();
  });
});

describe('the evaluated fleet over time', () => {
  const names = async () => (await getServiceAccountRows({}, admin)).items.map((row) => `${row.namespace}/${row.name}`).sort();
  const gate = () => {
    let open = () => undefined as void;
    world.gate = new Promise<void>((resolve) => (open = resolve));
    return () => open();
  };
  // Until the collection under way has settled (it evaluates in slices, a macrotask each); failed, or none, is fine too.
  const settle = async () => {
    await currentFleetView({ fresh: true }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 0));
  };

  it('past the cache TTL, reads answer at once from the older view while one collection gathers the next', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    expect(await names()).toEqual(['payments/api', 'restate/restate']);
    expect(world.collections).toBe(1);

    // 31 s later (the default TTL is 30 s) a service account was added, and collecting is slow.
    vi.setSystemTime(Date.now() + 31_000);
    world.fleet = fleet([eksCluster({ serviceAccounts: [serviceAccount('payments', 'api'), serviceAccount('payments', 'worker')] })]);
    const open = gate();
    const during = await Promise.all([names(), names(), names()]);
    for (const answer of during) expect(answer).toEqual(['payments/api', 'restate/restate']);
    expect(world.collections).toBe(2); // one collection however many ask

    open();
    await settle();
    expect(await names()).toEqual(['payments/api', 'payments/worker']);
    expect(world.collections).toBe(2);
  });

  it('a guided action (fresh) waits for a view within the TTL, never plans against the older one', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    await currentFleetView();
    vi.setSystemTime(Date.now() + 31_000);
    world.fleet = fleet([eksCluster({ serviceAccounts: [serviceAccount('payments', 'worker')] })]);
    const open = gate();
    let answered = false;
    const fresh = currentFleetView({ fresh: true }).then((view) => ((answered = true), view));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(answered).toBe(false);
    open();
    expect((await fresh).rows.map((row) => row.name)).toEqual(['worker']);
  });

  it('a collection that reads the same data keeps the rows it had; one with a change has them judged again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const first = await currentFleetView();
    const apiRow = (view: typeof first) => view.rows.find((row) => row.name === 'api')!;

    // The same data in new objects (as a re-read that found nothing new returns): the very same rows.
    vi.setSystemTime(Date.now() + 31_000);
    world.fleet = structuredClone(world.fleet);
    await names();
    await settle();
    const same = await currentFleetView();
    expect(world.collections).toBe(2);
    expect(apiRow(same)).toBe(apiRow(first));
    // And the very same array (its sorted orders stay worked out), though the writer's row was joined anew.
    expect(same.rows).toBe(first.rows);

    // The role the IRSA annotation names now exists: every cluster judged again (roles are fleet-wide).
    vi.setSystemTime(Date.now() + 31_000);
    const changed = structuredClone(world.fleet);
    changed.roles[roleArn('restate-snapshots')] = {
      status: 'error',
      error: { source: 'iam', operation: 'GetRole', code: 'AccessDenied', message: 'denied' },
    };
    world.fleet = changed;
    await names();
    await settle();
    const next = await currentFleetView();
    expect(world.collections).toBe(3);
    expect(apiRow(next)).not.toBe(apiRow(first));
    expect(next.rows).not.toBe(first.rows);
    expect(codesOf(next.rows.find((row) => row.name === 'restate')!.findings)).not.toContain('IR002');
  });

  it('after forgetFleetView (an action changed the fleet) nobody is served the view from before it', async () => {
    await currentFleetView();
    world.fleet = fleet([eksCluster({ serviceAccounts: [serviceAccount('payments', 'worker')] })]);
    forgetFleetView();
    expect(await names()).toEqual(['payments/worker']);
  });

  it('a failed collection is not kept: the older view is still served and the next read tries again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    await currentFleetView();
    vi.setSystemTime(Date.now() + 31_000);
    world.gate = Promise.reject(new Error('AWS unreachable'));
    world.gate.catch(() => undefined);
    expect(await names()).toEqual(['payments/api', 'restate/restate']);
    await settle();
    world.gate = undefined;
    world.fleet = fleet([eksCluster({ serviceAccounts: [serviceAccount('payments', 'worker')] })]);
    await names(); // starts the next collection
    await settle();
    expect(await names()).toEqual(['payments/worker']);
    expect(world.collections).toBe(3);
  });
});
