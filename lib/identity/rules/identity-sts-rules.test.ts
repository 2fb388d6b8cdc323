import { describe, expect, it } from 'vitest';
import type { FleetState } from '@/lib/model/cluster-state';
import { evaluateFleet } from '../evaluate-identity';
import {
  PI_ENV,
  association,
  eksCluster,
  fleet,
  healthyIrsa,
  healthyPodIdentity,
  irsaEnv,
  pod,
  roleArn,
  serviceAccount,
} from '../test-fixtures';

const codes = (f: FleetState) => evaluateFleet(f).map((x) => x.code);
const only = (f: FleetState, code: string) => evaluateFleet(f).filter((x) => x.code === code);
const webRole = roleArn('web-role');

describe('ID001: the SA has both an association and an IRSA annotation', () => {
  const both = (
    pods = [
      pod('shop', 'web-1', { serviceAccount: 'web', env: [...irsaEnv(webRole, 'regional'), ...PI_ENV] }),
      pod('shop', 'web-2', { serviceAccount: 'web', env: PI_ENV }),
    ],
  ) => healthyIrsa({ pods, cluster: { associations: [association('shop', 'web', { associationId: 'a-web0000000000001' })] } });
  it('fires; evidence says what each pod uses (both → IRSA by the SDK chain) and that new pods get Pod Identity', () => {
    const [finding] = only(both(), 'ID001');
    expect(finding.evidence).toMatchObject({
      newPodsGet: 'pod-identity',
      pods: [
        { pod: 'web-1', mechanism: 'both' },
        { pod: 'web-2', mechanism: 'pod-identity' },
      ],
    });
    expect(String((finding.evidence.pods as { uses: string }[])[0].uses)).toContain('uses IRSA');
    expect(finding.action).toEqual({
      type: 'remove-irsa-annotation',
      params: { cluster: 'prod', namespace: 'shop', serviceAccount: 'web' },
    });
    expect(finding.evidence.alternativeAction).toEqual({
      type: 'delete-association',
      params: { cluster: 'prod', associationId: 'a-web0000000000001' },
    });
  });
  it('does not fire with only one of them', () => {
    expect(codes(healthyIrsa())).not.toContain('ID001');
    expect(codes(healthyPodIdentity())).not.toContain('ID001');
  });
});

describe('ID002: a container sets static AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY (env value, or envFrom/valueFrom a Secret)', () => {
  const withPod = (p: ReturnType<typeof pod>, secretKeyNames?: Record<string, string[]>) =>
    fleet([eksCluster({ serviceAccounts: [serviceAccount('a', 'b')], pods: [p], ...(secretKeyNames ? { secretKeyNames } : {}) })]);
  it('fires for a literal value, never copying the value into evidence', () => {
    const f = withPod(pod('a', 'p', { serviceAccount: 'b', env: [{ name: 'AWS_ACCESS_KEY_ID', value: 'AKIAEXAMPLE' }] }));
    const [finding] = only(f, 'ID002');
    expect(finding.severity).toBe('error');
    expect(JSON.stringify(finding)).not.toContain('AKIAEXAMPLE');
  });
  it('fires for valueFrom secretKeyRef', () => {
    expect(
      codes(
        withPod(
          pod('a', 'p', {
            serviceAccount: 'b',
            env: [{ name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
          }),
        ),
      ),
    ).toContain('ID002');
  });
  it('fires for envFrom a Secret whose keys include AWS_ACCESS_KEY_ID (with prefix)', () => {
    const p = pod('a', 'p', {
      serviceAccount: 'b',
      containers: [{ name: 'app', envFrom: [{ secretRef: { name: 'creds' }, prefix: 'AWS_' }] }],
    });
    expect(codes(withPod(p, { 'a/creds': ['ACCESS_KEY_ID', 'SECRET_ACCESS_KEY'] }))).toContain('ID002');
  });
  it('does not fire for envFrom a Secret without those keys, or whose keys are unknown (shown as unknown on the SA page instead)', () => {
    const p = pod('a', 'p', { serviceAccount: 'b', containers: [{ name: 'app', envFrom: [{ secretRef: { name: 'creds' } }] }] });
    expect(codes(withPod(p, { 'a/creds': ['DATABASE_URL'] }))).not.toContain('ID002');
    expect(codes(withPod(p))).not.toContain('ID002');
  });
  it('does not fire for an empty value or other AWS vars', () => {
    expect(
      codes(
        withPod(
          pod('a', 'p', {
            serviceAccount: 'b',
            env: [
              { name: 'AWS_ACCESS_KEY_ID', value: '' },
              { name: 'AWS_REGION', value: 'us-east-1' },
            ],
          }),
        ),
      ),
    ).not.toContain('ID002');
  });
});

describe('ST001: running IRSA pods differ from the desired STS mode', () => {
  it('fires when the annotation is now true but pods lack AWS_STS_REGIONAL_ENDPOINTS=regional', () => {
    const f = healthyIrsa({
      annotations: { 'eks.amazonaws.com/sts-regional-endpoints': 'true' },
      pods: [pod('shop', 'web-1', { serviceAccount: 'web', env: irsaEnv(webRole) })],
    });
    const [finding] = only(f, 'ST001');
    expect(finding.evidence).toMatchObject({ desired: 'regional', pods: [{ pod: 'web-1', AWS_STS_REGIONAL_ENDPOINTS: null }] });
    expect(finding.action?.type).toBe('roll-pods');
  });
  it('fires for the reverse: annotation false, pods still regional', () => {
    const f = healthyIrsa({ annotations: { 'eks.amazonaws.com/sts-regional-endpoints': 'false' } });
    expect(codes(f)).toContain('ST001');
  });
  it('fires when the cluster default is regional (no annotation) and a pod runs without it', () => {
    expect(codes(healthyIrsa({ pods: [pod('shop', 'web-1', { serviceAccount: 'web', env: irsaEnv(webRole) })] }))).toContain('ST001');
  });
  it('does not count pods without IRSA env (e.g. Pod Identity pods), nor fire when the cluster default is unknown', () => {
    const piPods = [pod('shop', 'web-1', { serviceAccount: 'web', env: PI_ENV })];
    expect(
      codes(
        healthyIrsa({
          annotations: { 'eks.amazonaws.com/sts-regional-endpoints': 'true' },
          pods: piPods,
          cluster: { associations: [association('shop', 'web')] },
        }),
      ),
    ).not.toContain('ST001');
    expect(
      codes(healthyIrsa({ pods: [pod('shop', 'web-1', { serviceAccount: 'web', env: irsaEnv(webRole) })], cluster: { eksCluster: null } })),
    ).not.toContain('ST001');
  });
  it('does not fire when a 1.21 eks.3 cluster (global default) runs pods without the variable', () => {
    expect(
      codes(
        healthyIrsa({
          cluster: { version: '1.21', platformVersion: 'eks.3' },
          pods: [pod('shop', 'web-1', { serviceAccount: 'web', env: irsaEnv(webRole) })],
        }),
      ),
    ).not.toContain('ST001');
  });
});

describe('ST002: the desired mode is not regional (annotation false, or a cluster default of global)', () => {
  it('fires for annotation false with the flip-to-regional action', () => {
    const [finding] = only(
      healthyIrsa({
        annotations: { 'eks.amazonaws.com/sts-regional-endpoints': 'false' },
        pods: [pod('shop', 'web-1', { serviceAccount: 'web', env: irsaEnv(webRole) })],
      }),
      'ST002',
    );
    expect(finding.severity).toBe('info');
    expect(finding.action).toEqual({
      type: 'set-sts-regional-endpoints',
      params: { cluster: 'prod', namespace: 'shop', serviceAccount: 'web', value: 'true' },
    });
  });
  it('fires for a cluster whose default is global (1.21 eks.3) or below the listed platform version (1.19 eks.6)', () => {
    expect(codes(healthyIrsa({ cluster: { version: '1.21', platformVersion: 'eks.3' }, pods: [] }))).toContain('ST002');
    expect(codes(healthyIrsa({ cluster: { version: '1.19', platformVersion: 'eks.6' }, pods: [] }))).toContain('ST002');
  });
  it('does not fire for annotation true, a regional cluster default, an SA without IRSA, or a non-boolean annotation on a regional cluster', () => {
    expect(codes(healthyIrsa({ annotations: { 'eks.amazonaws.com/sts-regional-endpoints': 'true' } }))).not.toContain('ST002');
    expect(codes(healthyIrsa())).not.toContain('ST002');
    expect(codes(healthyIrsa({ cluster: { version: '1.23', platformVersion: 'eks.1' } }))).not.toContain('ST002');
    expect(codes(healthyPodIdentity())).not.toContain('ST002');
    expect(codes(healthyIrsa({ annotations: { 'eks.amazonaws.com/sts-regional-endpoints': 'yes' } }))).not.toContain('ST002');
  });
});
