import { describe, expect, it } from 'vitest';
import type { FleetState, PolicyStatement, RolePolicies } from '@/lib/model/cluster-state';
import type { Workload } from '@/lib/model/kube-objects';
import { evaluateFleet } from '../evaluate-identity';
import { PI_ENV, association, eksCluster, fleet, healthyIrsa, healthyPodIdentity, pod, roleArn, serviceAccount } from '../test-fixtures';

// findings.md "Permissions": PM001–PM004, each firing and staying silent.

const codes = (f: FleetState) => evaluateFleet(f).map((x) => x.code);
const only = (f: FleetState, code: string) => evaluateFleet(f).filter((x) => x.code === code);
const ROLE = roleArn('api-role');

const restateWriter = (destination = 's3://snaps/prod'): Workload => ({
  kind: 'StatefulSet',
  metadata: { name: 'restate', namespace: 'payments' },
  spec: {
    template: {
      spec: {
        serviceAccountName: 'api',
        containers: [
          {
            name: 'restate',
            image: 'restatedev/restate:1.4',
            env: [{ name: 'RESTATE_WORKER__SNAPSHOTS__DESTINATION', value: destination }],
          },
        ],
      },
    },
  },
});

const inlinePolicies = (...Statement: PolicyStatement[]): RolePolicies => ({
  inline: [{ name: 'snapshots', document: { Version: '2012-10-17', Statement } }],
  managed: [],
  errors: [],
});

const S3_RW: PolicyStatement[] = [
  { Sid: 'Objects', Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: 'arn:aws:s3:::snaps/prod/*' },
  { Sid: 'List', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::snaps' },
];

function withPolicies(f: FleetState, policies: RolePolicies, extra: Partial<FleetState> = {}): FleetState {
  return { ...f, policies: { [ROLE]: policies }, ...extra };
}

function writerFleet(policies: RolePolicies, o: Parameters<typeof healthyPodIdentity>[0] = {}, extra: Partial<FleetState> = {}) {
  return withPolicies(healthyPodIdentity({ ...o, cluster: { workloads: [restateWriter()], ...o.cluster } }), policies, extra);
}

describe('PM001: a workload cannot do what it is known to need', () => {
  it('fires for a Restate writer whose role lacks s3:PutObject, saying no statement allows it', () => {
    const f = writerFleet(inlinePolicies({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::snaps/prod/*' }, S3_RW[1]));
    const [finding] = only(f, 'PM001');
    expect(finding.severity).toBe('error');
    expect(finding.title).toContain('s3:PutObject');
    expect(finding.evidence.denied).toEqual([
      expect.objectContaining({ action: 's3:PutObject', resource: 'arn:aws:s3:::snaps/prod/*', deniedBy: 'no statement allows it' }),
    ]);
  });

  it('fires when the bucket policy denies the writer, naming the statement', () => {
    const f = writerFleet(
      inlinePolicies(...S3_RW),
      {},
      {
        bucketPolicies: {
          snaps: {
            status: 'found',
            account: '111122223333',
            policy: {
              Statement: [
                {
                  Sid: 'DenyAccount',
                  Effect: 'Deny',
                  Principal: { AWS: '111122223333' },
                  Action: 's3:PutObject',
                  Resource: 'arn:aws:s3:::snaps/*',
                },
              ],
            },
          },
        },
      },
    );
    const [finding] = only(f, 'PM001');
    expect(finding.evidence.denied).toEqual([
      expect.objectContaining({
        action: 's3:PutObject',
        decision: 'explicit-deny',
        deniedBy: [expect.objectContaining({ sid: 'DenyAccount' })],
      }),
    ]);
  });

  it('stays silent when the role allows all three, or when the policies or bucket policy could not be read', () => {
    expect(codes(writerFleet(inlinePolicies(...S3_RW)))).not.toContain('PM001');
    const unreadable: RolePolicies = { inline: null, managed: [], errors: [] };
    expect(codes(writerFleet(unreadable))).not.toContain('PM001');
    expect(codes(healthyPodIdentity({ cluster: { workloads: [restateWriter()] } }))).not.toContain('PM001');
    const bucketUnreadable = writerFleet(
      inlinePolicies(...S3_RW.slice(1)),
      {},
      {
        bucketPolicies: {
          snaps: { status: 'error', error: { source: 's3', operation: 'GetBucketPolicy', code: 'AccessDenied', message: 'x' } },
        },
      },
    );
    expect(codes(bucketUnreadable)).not.toContain('PM001');
  });

  it('stays silent for a workload with no known needs, and for a writer using static keys', () => {
    expect(codes(withPolicies(healthyPodIdentity(), inlinePolicies()))).not.toContain('PM001');
    const statik = restateWriter();
    (statik.spec as { template: { spec: { containers: { env: unknown[] }[] } } }).template.spec.containers[0].env.push({
      name: 'RESTATE_WORKER__SNAPSHOTS__AWS_ACCESS_KEY_ID',
      value: 'AKIA',
    });
    expect(codes(withPolicies(healthyPodIdentity({ cluster: { workloads: [statik] } }), inlinePolicies()))).not.toContain('PM001');
  });

  it('judges a session policy: the role allows, the association policy does not', () => {
    const f = writerFleet(inlinePolicies(...S3_RW), {
      association: {
        disableSessionTags: true,
        policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }),
      },
    });
    expect(only(f, 'PM001')[0].evidence.denied).toHaveLength(2);
  });
});

describe('PM001: a K3s etcd snapshot upload run in a pod, with its pod’s identity', () => {
  const etcdBackup = (args: string[], env: { name: string; value: string }[] = []): Workload => ({
    kind: 'CronJob',
    metadata: { name: 'etcd-backup', namespace: 'payments' },
    spec: {
      jobTemplate: {
        spec: {
          template: {
            spec: {
              serviceAccountName: 'api',
              containers: [{ name: 'snapshot', image: 'rancher/k3s:v1.31.4-k3s1', command: ['k3s'], args, env }],
            },
          },
        },
      },
    },
  });
  const UPLOAD = ['etcd-snapshot', 'save', '--s3', '--s3-bucket=snaps', '--s3-folder', 'prod'];
  const etcdFleet = (workload: Workload, policies: RolePolicies) =>
    withPolicies(healthyPodIdentity({ cluster: { workloads: [workload] } }), policies);

  it('fires when the role may not write the bucket folder, naming the etcd upload as the need', () => {
    const f = etcdFleet(
      etcdBackup(UPLOAD),
      inlinePolicies({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::snaps/prod/*' }, S3_RW[1]),
    );
    const [finding] = only(f, 'PM001');
    expect(finding.title).toContain('s3:PutObject');
    expect(finding.title).toContain('etcd snapshots to s3://snaps/prod (CronJob payments/etcd-backup)');
    expect(finding.evidence.denied).toEqual([expect.objectContaining({ action: 's3:PutObject', resource: 'arn:aws:s3:::snaps/prod/*' })]);
  });

  it('stays silent when the role may write, when the upload passes its own keys, and for a command that does not upload', () => {
    const denied = inlinePolicies(S3_RW[1]);
    expect(codes(etcdFleet(etcdBackup(UPLOAD), inlinePolicies(...S3_RW)))).not.toContain('PM001');
    expect(codes(etcdFleet(etcdBackup([...UPLOAD, '--s3-access-key=AKIA…', '--s3-secret-key=…']), denied))).not.toContain('PM001');
    expect(codes(etcdFleet(etcdBackup(UPLOAD, [{ name: 'AWS_ACCESS_KEY_ID', value: 'AKIA…' }]), denied))).not.toContain('PM001');
    expect(codes(etcdFleet(etcdBackup(['etcd-snapshot', 'list', '--s3', '--s3-bucket=snaps']), denied))).not.toContain('PM001');
    expect(codes(etcdFleet(etcdBackup(['etcd-snapshot', 'save']), denied))).not.toContain('PM001');
  });

  it('reads the --etcd- aliases and a `sh -c` script; the default subcommand is save', () => {
    const script: Workload = {
      ...etcdBackup([]),
      spec: {
        jobTemplate: {
          spec: {
            template: {
              spec: {
                serviceAccountName: 'api',
                containers: [
                  {
                    name: 'snapshot',
                    command: ['sh', '-c'],
                    args: ['/usr/local/bin/rke2 etcd-snapshot --etcd-s3 --etcd-s3-bucket snaps --etcd-s3-folder=/prod/'],
                  },
                ],
              },
            },
          },
        },
      },
    };
    const [finding] = only(etcdFleet(script, inlinePolicies(S3_RW[1])), 'PM001');
    expect(finding.evidence.denied).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 's3:PutObject', resource: 'arn:aws:s3:::snaps/prod/*' })]),
    );
  });
});

describe('PM002: policies test EKS session tags while the association disables them', () => {
  const abac = inlinePolicies({
    Effect: 'Allow',
    Action: 's3:*',
    Resource: 'arn:aws:s3:::data/${aws:PrincipalTag/kubernetes-namespace}/*',
  });
  it('fires for a ${aws:PrincipalTag/kubernetes-namespace} variable with disableSessionTags, offering update-association', () => {
    const [finding] = only(withPolicies(healthyPodIdentity({ association: { disableSessionTags: true } }), abac), 'PM002');
    expect(finding.evidence.statements).toEqual([expect.objectContaining({ tests: ['${aws:PrincipalTag/kubernetes-namespace}'] })]);
    expect(finding.action).toMatchObject({ type: 'update-association', params: { disableSessionTags: false } });
  });
  it('fires for a condition key on a session tag', () => {
    const byKey = inlinePolicies({
      Effect: 'Allow',
      Action: 's3:*',
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalTag/eks-cluster-name': 'prod' } },
    });
    expect(codes(withPolicies(healthyPodIdentity({ association: { disableSessionTags: true } }), byKey))).toContain('PM002');
  });
  it('stays silent with session tags on, or for a role tag that is not an EKS session tag', () => {
    expect(codes(withPolicies(healthyPodIdentity(), abac))).not.toContain('PM002');
    const team = inlinePolicies({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::data/${aws:PrincipalTag/team}/*' });
    expect(codes(withPolicies(healthyPodIdentity({ association: { disableSessionTags: true } }), team))).not.toContain('PM002');
  });
});

describe('PM003: effective permissions allow escalation', () => {
  it('fires for * on * (admin-equivalent)', () => {
    const [finding] = only(withPolicies(healthyPodIdentity(), inlinePolicies({ Effect: 'Allow', Action: '*', Resource: '*' })), 'PM003');
    expect(finding.evidence).toMatchObject({ adminEquivalent: true });
  });
  it('fires for iam:PassRole on *, for an IRSA role too', () => {
    const f = healthyIrsa();
    const irsaRole = roleArn('web-role');
    const g = { ...f, policies: { [irsaRole]: inlinePolicies({ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }) } };
    expect(only(g, 'PM003')[0].evidence).toMatchObject({
      adminEquivalent: false,
      granted: [expect.objectContaining({ action: 'iam:PassRole' })],
    });
  });
  it('stays silent when PassRole is scoped to one role, or a boundary caps it, or a Deny removes it', () => {
    expect(
      codes(withPolicies(healthyPodIdentity(), inlinePolicies({ Effect: 'Allow', Action: 'iam:PassRole', Resource: roleArn('x') }))),
    ).not.toContain('PM003');
    const bounded: RolePolicies = {
      ...inlinePolicies({ Effect: 'Allow', Action: '*', Resource: '*' }),
      boundary: {
        arn: 'arn:aws:iam::111122223333:policy/b',
        name: 'b',
        versionId: 'v1',
        document: { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] },
      },
    };
    expect(codes(withPolicies(healthyPodIdentity(), bounded))).not.toContain('PM003');
    const denied = inlinePolicies({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }, { Effect: 'Deny', Action: 'iam:*', Resource: '*' });
    expect(codes(withPolicies(healthyPodIdentity(), denied))).not.toContain('PM003');
    expect(codes(withPolicies(healthyPodIdentity(), inlinePolicies({ Effect: 'Allow', Action: 'iam:Get*', Resource: '*' })))).not.toContain(
      'PM003',
    );
  });
});

describe('PM004: the association carries a session policy', () => {
  it('fires with the policy as evidence', () => {
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };
    const [finding] = only(healthyPodIdentity({ association: { disableSessionTags: true, policy: JSON.stringify(policy) } }), 'PM004');
    expect(finding.severity).toBe('info');
    expect(finding.evidence).toMatchObject({ policy });
  });
  it('stays silent without a policy', () => {
    expect(codes(healthyPodIdentity())).not.toContain('PM004');
  });
});

describe('PI013: a proxied pod without NO_PROXY for the agent', () => {
  const proxied = (env: { name: string; value: string }[]) =>
    healthyPodIdentity({
      pods: [pod('payments', 'api-1', { serviceAccount: 'api', env: [...PI_ENV, ...env], startTime: '2026-11-12T10:00:00Z' })],
    });
  it('fires for HTTPS_PROXY with no NO_PROXY, and for https_proxy with a NO_PROXY that misses the agent', () => {
    const [finding] = only(proxied([{ name: 'HTTPS_PROXY', value: 'http://proxy:3128' }]), 'PI013');
    expect(finding.evidence.containers).toEqual([
      expect.objectContaining({ pod: 'api-1', proxy: { HTTPS_PROXY: { value: 'http://proxy:3128', from: 'value' } } }),
    ]);
    expect(
      codes(
        proxied([
          { name: 'https_proxy', value: 'http://p' },
          { name: 'no_proxy', value: 'localhost,.svc' },
        ]),
      ),
    ).toContain('PI013');
  });
  it('stays silent when NO_PROXY covers the agent by address, CIDR or *, and for pods without a proxy', () => {
    for (const value of ['169.254.170.23', 'localhost,169.254.0.0/16', '*'])
      expect(
        codes(
          proxied([
            { name: 'HTTP_PROXY', value: 'http://p' },
            { name: 'NO_PROXY', value },
          ]),
        ),
      ).not.toContain('PI013');
    expect(codes(healthyPodIdentity())).not.toContain('PI013');
  });
  it('also needs fd00:ec2::23 on an IPv6 cluster', () => {
    const ipv6 = healthyPodIdentity({
      cluster: { serviceIpFamily: 'ipv6' },
      pods: [
        pod('payments', 'api-1', {
          serviceAccount: 'api',
          env: [...PI_ENV, { name: 'HTTP_PROXY', value: 'http://p' }, { name: 'NO_PROXY', value: '169.254.170.23' }],
        }),
      ],
    });
    expect(only(ipv6, 'PI013')[0].evidence.containers).toEqual([expect.objectContaining({ uncovered: ['fd00:ec2::23'] })]);
  });
});

// Keep the imports honest: an SA without any identity has no permissions findings.
describe('no identity', () => {
  it('has no PM findings', () => {
    const f = fleet([
      eksCluster({ serviceAccounts: [serviceAccount('a', 'b')], associations: [association('x', 'y', { roleArn: ROLE })] }),
    ]);
    expect(codes(f).filter((c) => c.startsWith('PM'))).toEqual([]);
  });
});
