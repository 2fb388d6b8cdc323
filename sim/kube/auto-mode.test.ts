import { afterEach, describe, expect, it } from 'vitest';
import { buildWorld } from '../build-world';
import { parseScenario } from '../scenario/load';
import { createKubeSim, type KubeSim } from './index';

// EKS Auto Mode nodes have the Pod Identity agent built in (AUG pod-id-agent-setup): the add-on's DaemonSet
// never lands on them, and a cluster may mix them with managed node group nodes, which still need it.

let kube: KubeSim | undefined;
afterEach(() => kube?.stop());

function load(yaml: string) {
  const loaded = { file: 'a.yaml', scenario: parseScenario(yaml, 'a.yaml'), objectFileDocuments: new Map() };
  kube = createKubeSim(buildWorld(loaded), loaded, { rolloutReadyDelayMs: 10 });
  return kube;
}

const podsOn = (sim: KubeSim, cluster: string, namespace: string) => {
  const c = sim.clusters.get(cluster)!;
  return c.store.list(c.type('', 'v1', 'pods'), namespace).map(({ object }) => (object.spec as { nodeName?: string }).nodeName);
};

describe('Auto Mode nodes', () => {
  it('gives an Auto Mode cluster Auto Mode nodes, where workloads run and no agent DaemonSet pod does', () => {
    const sim = load(`
clusters:
  - name: auto
    account: "111111111111"
    region: us-east-1
    autoMode: true
    addons: [{ name: eks-pod-identity-agent }]
    objects:
      - { apiVersion: apps/v1, kind: Deployment, metadata: { name: web, namespace: shop }, spec: { replicas: 2, selector: { matchLabels: { app: web } }, template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: web, image: nginx }] } } } }
`);
    const c = sim.clusters.get('auto')!;
    const nodes = c.store.list(c.type('', 'v1', 'nodes')).map(({ object }) => object);
    expect(nodes).toHaveLength(3);
    for (const node of nodes) expect((node.metadata.labels as Record<string, string>)['eks.amazonaws.com/compute-type']).toBe('auto');
    expect(podsOn(sim, 'auto', 'shop').every((n) => n?.startsWith('i-'))).toBe(true);
    expect(podsOn(sim, 'auto', 'kube-system')).toEqual([]);
  });

  it('runs the agent only on the managed nodes of a mixed cluster', () => {
    const node = (name: string, labels: string) =>
      `      - { apiVersion: v1, kind: Node, metadata: { name: ${name}, labels: { kubernetes.io/os: linux, kubernetes.io/arch: amd64${labels} } }, status: { conditions: [{ type: Ready, status: "True" }] } }`;
    const sim = load(`
clusters:
  - name: mixed
    account: "111111111111"
    region: us-east-1
    addons: [{ name: eks-pod-identity-agent }]
    objects:
${node('ng-1', ', eks.amazonaws.com/nodegroup: general')}
${node('auto-1', ', eks.amazonaws.com/compute-type: auto')}
${node('hybrid-1', ', eks.amazonaws.com/compute-type: hybrid')}
`);
    // the add-on's hybrid DaemonSet serves the hybrid node; nothing runs on the Auto Mode node
    expect(podsOn(sim, 'mixed', 'kube-system').sort()).toEqual(['hybrid-1', 'ng-1']);
    const c = sim.clusters.get('mixed')!;
    const agentPods = c.store.list(c.type('', 'v1', 'pods'), 'kube-system').map(({ object }) => object);
    expect(agentPods.find((pod) => (pod.spec as { nodeName?: string }).nodeName === 'hybrid-1')?.metadata.name).toMatch(
      /^eks-pod-identity-agent-hybrid-/,
    );
  });
});
