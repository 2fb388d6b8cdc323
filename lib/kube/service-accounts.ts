import 'server-only';
import type { ClusterTarget } from '@/lib/config/cluster-targets';
import type { SourceError } from '@/lib/model/cluster-snapshot';
import type { ServiceAccount } from '@/lib/model/kube-objects';
import { kubeSourceError } from './client';
import { listServiceAccounts as listAllServiceAccounts, SERVICE_ACCOUNTS_READ } from './resources';

// One cluster's service accounts, every page, in their JSON wire form; a failure is a SourceError, not a throw.

export type ServiceAccountListing = { serviceAccounts: ServiceAccount[]; error?: undefined } | { serviceAccounts: null; error: SourceError };

export async function listServiceAccounts(target: ClusterTarget): Promise<ServiceAccountListing> {
  try {
    return { serviceAccounts: await listAllServiceAccounts(target) };
  } catch (error) {
    return { serviceAccounts: null, error: kubeSourceError(target, SERVICE_ACCOUNTS_READ.operation, error, SERVICE_ACCOUNTS_READ.rbac) };
  }
}
