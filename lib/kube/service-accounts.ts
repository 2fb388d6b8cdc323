import 'server-only';
import * as k8s from '@kubernetes/client-node';
import type { ServiceAccount } from '@/lib/model/kube-objects';
import type { SourceError } from '@/lib/model/cluster-snapshot';
import { loadKubeConfig, type ClusterTarget } from '@/lib/config/kube-contexts';

// Reads one cluster's service accounts, every page, in their JSON wire form.

export type ServiceAccountListing = { serviceAccounts: ServiceAccount[]; error?: undefined } | { serviceAccounts: null; error: SourceError };

function describeError(target: ClusterTarget, err: unknown): SourceError {
  const status = (err as { code?: number }).code;
  const body = (err as { body?: string }).body;
  let message = (err as Error).message ?? String(err);
  let code = typeof status === 'number' ? String(status) : ((err as { cause?: { code?: string } }).cause?.code ?? 'Error');
  try {
    const parsed = body ? (JSON.parse(body) as { message?: string; reason?: string }) : undefined;
    if (parsed?.message) message = parsed.message;
    if (parsed?.reason) code = parsed.reason;
  } catch {
    // not a Status body
  }
  if (code === 'ECONNREFUSED' || /ECONNREFUSED|ENOTFOUND|ETIMEDOUT/.test(message)) message = `the API server is unreachable (${message})`;
  return {
    cluster: target.name,
    source: 'kubernetes',
    operation: 'list serviceaccounts',
    code,
    message,
    ...(status === 403 ? { missingPermission: 'list serviceaccounts (all namespaces)' } : {}),
  };
}

export async function listServiceAccounts(target: ClusterTarget): Promise<ServiceAccountListing> {
  const kc = loadKubeConfig();
  kc.setCurrentContext(target.context);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const serviceAccounts: ServiceAccount[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await core.listServiceAccountForAllNamespaces({ limit: 500, _continue: token });
      // client-node hands back Date objects; the JSON round trip restores the wire form (RFC 3339 strings).
      for (const item of page.items) serviceAccounts.push(JSON.parse(JSON.stringify(item)) as ServiceAccount);
      token = page.metadata?._continue || undefined;
    } while (token);
    return { serviceAccounts };
  } catch (err) {
    return { serviceAccounts: null, error: describeError(target, err) };
  }
}
