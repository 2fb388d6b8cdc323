import { consoleAuthConfig } from '@/lib/auth/console-auth-config';
import { getPrincipal } from '@/lib/auth/get-principal';
import { grantsFor } from '@/lib/auth/scope';

/**
 * On a not-found page: what the caller may see, so "hidden from you" is not mistaken for "absent". It names only
 * the caller's own grants, never whether the address exists outside them.
 */
export async function ScopeSummaryLine({ thing }: { thing: string }) {
  const principal = await getPrincipal();
  if (!principal || principal.isAdmin) return null;
  const grants = grantsFor(principal, consoleAuthConfig().teams);
  return (
    <div
      data-testid="scope-summary"
      className="mt-3 rounded-md bg-neutral-50 px-3 py-2 text-[13px] text-neutral-700 ring-1 ring-neutral-200"
    >
      {grants.length === 0 ? (
        <p>No team grants you any namespace, so every {thing} is hidden from you.</p>
      ) : (
        <>
          <p>You see only these namespaces:</p>
          <ul className="mt-1 list-disc pl-5">
            {grants.map((grant, index) => (
              <li key={index}>
                <span className="font-mono">{grant.namespaces.join(', ')}</span> on{' '}
                {grant.cluster === '*' ? 'every cluster' : <span className="font-mono">{grant.cluster}</span>} ({grant.team}, {grant.role})
              </li>
            ))}
          </ul>
          <p className="mt-1">
            A {thing} outside them is hidden from you, not necessarily absent; whether it exists is not shown. Ask a console admin or the
            owning team.
          </p>
        </>
      )}
    </div>
  );
}
