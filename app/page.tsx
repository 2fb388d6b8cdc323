import { Suspense } from 'react';
import { ClusterServiceAccounts } from '@/components/service-accounts/cluster-service-accounts';
import { requirePrincipal, scopeOf } from '@/lib/auth/get-principal';
import { clusterTargets } from '@/lib/config/kube-contexts';

export const dynamic = 'force-dynamic';

export default async function ServiceAccountsPage() {
  const principal = await requirePrincipal('/');
  const scope = scopeOf(principal);
  const targets = clusterTargets().filter((target) => scope.canSeeCluster(target.name));
  return (
    <main className="p-6">
      <h1 className="text-xl font-semibold">Service accounts</h1>
      <p className="mt-1 text-sm text-slate-600">Every service account of every cluster in your kubeconfig{principal.isAdmin ? '' : ' that your team can see'}.</p>
      {targets.length === 0 && <p className="mt-6 text-sm text-slate-600">No clusters: the current kubeconfig has no contexts in your scope.</p>}
      {targets.map((target) => (
        <Suspense key={target.context} fallback={<p className="mt-6 text-sm text-slate-500">Reading {target.name}…</p>}>
          <ClusterServiceAccounts target={target} scope={scope} />
        </Suspense>
      ))}
    </main>
  );
}
