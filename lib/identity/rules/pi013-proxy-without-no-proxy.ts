import { type ConfigMap, type Container, POD_IDENTITY_ENV } from '@/lib/model/kube-objects';
import { ipInRange } from '@/lib/policy/ip-address';
import { type PodFacts } from '../identity-context';
import { makeFinding, plural, serviceAccountSubject, shortList, type ServiceAccountRule } from '../rule-kit';

// PI013 (findings.md): pods with Pod Identity env that set HTTP_PROXY/HTTPS_PROXY (either case) while
// NO_PROXY/no_proxy does not cover the agent's address, 169.254.170.23 (and fd00:ec2::23 on an IPv6 cluster,
// domain.md §1a): SDKs that honour proxy variables send the credential request to the proxy, which cannot
// reach the node-local agent. A variable whose value the console cannot read (from a Secret, an unread
// ConfigMap) is unknown: such a container does not count.

export const AGENT_IPV4 = '169.254.170.23';
export const AGENT_IPV6 = 'fd00:ec2::23';
const PROXY_VARS = ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy'];
const NO_PROXY_VARS = ['NO_PROXY', 'no_proxy'];

interface ResolvedVar {
  value: string | undefined;
  /** "value", "configmap NAME key KEY", "envFrom configmap NAME", "secret …" (then value is undefined). */
  from: string;
}

/** A container's env as the kubelet would set it: envFrom first, then env (env wins; later entries win). */
function resolveEnv(container: Container, configMaps: Map<string, ConfigMap> | null, namespace: string): Map<string, ResolvedVar> {
  const out = new Map<string, ResolvedVar>();
  for (const source of container.envFrom ?? []) {
    const prefix = source.prefix ?? '';
    if (source.configMapRef?.name) {
      const cm = configMaps?.get(`${namespace}/${source.configMapRef.name}`);
      for (const [key, value] of Object.entries(cm?.data ?? {}))
        out.set(prefix + key, { value, from: `envFrom configmap ${source.configMapRef.name}` });
    }
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined || !e.valueFrom) out.set(e.name, { value: e.value ?? '', from: 'value' });
    else if (e.valueFrom.configMapKeyRef?.name) {
      const ref = e.valueFrom.configMapKeyRef;
      const cm = configMaps?.get(`${namespace}/${ref.name}`);
      out.set(e.name, { value: cm?.data?.[ref.key], from: `configmap ${ref.name} key ${ref.key}` });
    } else if (e.valueFrom.secretKeyRef) out.set(e.name, { value: undefined, from: `secret ${e.valueFrom.secretKeyRef.name ?? ''}` });
    else out.set(e.name, { value: undefined, from: 'fieldRef' });
  }
  return out;
}

/** Does one NO_PROXY list cover an address? Entries: `*`, an IP, an IP in brackets, or a CIDR range. */
export function noProxyCovers(list: string, address: string): boolean {
  return list
    .split(',')
    .map((entry) => entry.trim().replace(/^\[(.*)\]$/, '$1'))
    .filter(Boolean)
    .some((entry) => entry === '*' || entry.toLowerCase() === address || ipInRange(entry, address) === true);
}

interface ProxiedContainer {
  pod: string;
  container: string;
  proxy: Record<string, { value: string; from: string }>;
  noProxy: { name: string; value: string; from: string } | null;
  uncovered: string[];
}

function proxiedContainers(p: PodFacts, configMaps: Map<string, ConfigMap> | null, addresses: string[]): ProxiedContainer[] {
  const out: ProxiedContainer[] = [];
  for (const container of [...(p.pod.spec.initContainers ?? []), ...p.pod.spec.containers]) {
    const env = resolveEnv(container, configMaps, p.namespace);
    if (!env.has(POD_IDENTITY_ENV)) continue;
    const proxy: ProxiedContainer['proxy'] = {};
    for (const name of PROXY_VARS) {
      const v = env.get(name);
      if (v?.value) proxy[name] = { value: v.value, from: v.from };
    }
    if (Object.keys(proxy).length === 0) continue;
    const noProxyVars = NO_PROXY_VARS.map((name) => ({ name, v: env.get(name) })).filter((x) => x.v);
    // A NO_PROXY the console cannot read might cover the agent: unknown, so not counted.
    if (noProxyVars.some((x) => x.v!.value === undefined)) continue;
    const uncovered = addresses.filter((address) => !noProxyVars.some((x) => noProxyCovers(x.v!.value!, address)));
    if (uncovered.length === 0) continue;
    const shown = noProxyVars[0];
    out.push({
      pod: p.name,
      container: container.name,
      proxy,
      noProxy: shown ? { name: shown.name, value: shown.v!.value!, from: shown.v!.from } : null,
      uncovered,
    });
  }
  return out;
}

export const pi013ProxyWithoutNoProxy: ServiceAccountRule = {
  code: 'PI013',
  scope: 'serviceaccount',
  evaluate(ctx) {
    if (!ctx.pods || ctx.pods.length === 0) return [];
    const configMaps = ctx.cluster.state.kube.configMaps
      ? new Map(ctx.cluster.state.kube.configMaps.map((cm) => [`${cm.metadata.namespace}/${cm.metadata.name}`, cm]))
      : null;
    const addresses = ctx.cluster.eks?.serviceIpFamily?.toLowerCase() === 'ipv6' ? [AGENT_IPV4, AGENT_IPV6] : [AGENT_IPV4];
    const found = ctx.pods.flatMap((p) => proxiedContainers(p, configMaps, addresses));
    if (found.length === 0) return [];
    const pods = [...new Set(found.map((f) => f.pod))];
    return [
      makeFinding(
        'PI013',
        serviceAccountSubject(ctx),
        `${plural(pods.length, 'pod')} of ${ctx.namespace}/${ctx.name} send${pods.length === 1 ? 's' : ''} AWS credential requests to an HTTP proxy: NO_PROXY does not cover ${shortList(found[0].uncovered)} (${shortList(pods)})`,
        { agentAddresses: addresses, containers: found },
      ),
    ];
  },
};
