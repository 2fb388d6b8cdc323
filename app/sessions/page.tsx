import { notFound } from 'next/navigation';
import { requirePrincipal } from '@/lib/auth/get-principal';
import { sessionStore } from '@/lib/auth/session-store';
import { RevokeSessionsButton } from '@/components/sessions/revoke-sessions-button';

export const dynamic = 'force-dynamic';

/** Admins only: who is signed in, and a way to end a user's sessions at once (a lost laptop, someone who left). */
export default async function SessionsPage() {
  const principal = await requirePrincipal('/sessions');
  if (!principal.isAdmin) notFound();
  const sessions = await sessionStore().listLive();
  const bySubject = new Map<string, typeof sessions>();
  for (const session of sessions) bySubject.set(session.subject, [...(bySubject.get(session.subject) ?? []), session]);
  return (
    <main className="p-6">
      <h1 className="text-xl font-semibold">Sign-in sessions</h1>
      <p className="mt-1 text-sm text-slate-600">
        Live console sessions, kept server-side. Revoking ends them at once; groups are read from the identity provider again at least every
        15 minutes.
      </p>
      {bySubject.size === 0 ? (
        <p className="mt-4 text-sm text-slate-600">Nobody is signed in.</p>
      ) : (
        <table className="mt-4 w-full text-left text-sm" aria-label="Sign-in sessions">
          <thead className="text-[12px] text-slate-500">
            <tr>
              <th className="py-1 pr-4 font-medium">User</th>
              <th className="py-1 pr-4 font-medium">Groups</th>
              <th className="py-1 pr-4 font-medium">Sessions</th>
              <th className="py-1 pr-4 font-medium">Newest sign-in</th>
              <th className="py-1 font-medium" />
            </tr>
          </thead>
          <tbody>
            {[...bySubject.entries()].map(([subject, list]) => (
              <tr key={subject} className="border-t border-slate-200" data-testid="session-row">
                <td className="py-2 pr-4">
                  <div className="font-medium">{list[0].name ?? subject}</div>
                  <div className="text-[12px] text-slate-500">{list[0].email ?? subject}</div>
                </td>
                <td className="py-2 pr-4 text-[12px]">{list[0].groups.join(', ') || '—'}</td>
                <td className="py-2 pr-4">{list.length}</td>
                <td className="py-2 pr-4 text-[12px]">{list[0].createdAt}</td>
                <td className="py-2">
                  <RevokeSessionsButton subject={subject} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
