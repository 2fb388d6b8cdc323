import { listServiceAccounts } from '@/lib/kube/service-accounts';
import type { ClusterTarget } from '@/lib/config/kube-contexts';
import type { Scope } from '@/lib/auth/scope';

const ROLE_ARN = 'eks.amazonaws.com/role-arn';

/** One cluster's service accounts (in the viewer's scope). A cluster that can't be read says why, alone. */
export async function ClusterServiceAccounts({ target, scope }: { target: ClusterTarget; scope: Scope }) {
  const listing = await listServiceAccounts(target);
  return (
    <section aria-labelledby={`cluster-${target.context}`} className="mt-6 rounded border border-slate-200 bg-white">
      <header className="flex items-baseline justify-between border-b border-slate-200 px-4 py-2">
        <h2 id={`cluster-${target.context}`} className="font-semibold">
          {target.name}
        </h2>
        <span className="font-mono text-xs text-slate-500">{target.eks ? `EKS · ${target.eks.region}${target.eks.account ? ` · ${target.eks.account}` : ''}` : target.context}</span>
      </header>
      {listing.error ? (
        <p role="alert" className="px-4 py-3 text-sm text-red-800">
          Service accounts unknown: {listing.error.operation} failed with {listing.error.code}: {listing.error.message}
          {listing.error.missingPermission ? ` (the console lacks RBAC permission to ${listing.error.missingPermission})` : ''}
        </p>
      ) : (
        <ServiceAccountTable target={target} scope={scope} serviceAccounts={listing.serviceAccounts} />
      )}
    </section>
  );
}

function ServiceAccountTable({ target, scope, serviceAccounts }: { target: ClusterTarget; scope: Scope; serviceAccounts: NonNullable<Awaited<ReturnType<typeof listServiceAccounts>>['serviceAccounts']> }) {
  const visible = serviceAccounts.filter((sa) => scope.canSeeNamespace(target.name, sa.metadata.namespace ?? 'default'));
  if (visible.length === 0) return <p className="px-4 py-3 text-sm text-slate-600">No service accounts in your scope on this cluster.</p>;
  return (
    <table className="w-full text-left text-sm">
      <thead className="text-slate-500">
        <tr>
          <th className="px-4 py-1.5">Namespace</th>
          <th>Service account</th>
          <th>IRSA role (annotation)</th>
        </tr>
      </thead>
      <tbody>
        {visible.map((sa) => (
          <tr key={`${sa.metadata.namespace}/${sa.metadata.name}`} className="border-t border-slate-100">
            <td className="px-4 py-1">{sa.metadata.namespace}</td>
            <td className="font-medium">{sa.metadata.name}</td>
            <td className="font-mono text-xs break-all">{sa.metadata.annotations?.[ROLE_ARN] ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
