import { connection } from 'next/server';
import { getPrincipal } from '@/lib/auth/get-principal';

/** Who is signed in, their teams and a sign-out button (a POST form: sign-out is state-changing). */
export async function SignedInUser() {
  await connection();
  const principal = await getPrincipal();
  if (!principal) return null;
  const role = principal.isAdmin ? 'admin' : principal.teams.length ? principal.teams.join(', ') : 'no team';
  return (
    <div className="flex items-center gap-3 text-sm">
      <span data-testid="signed-in-user" className="text-slate-200">
        {principal.name ?? principal.subject}
        <span className="ml-2 rounded bg-slate-700 px-1.5 py-0.5 text-xs text-slate-200">{role}</span>
      </span>
      {principal.via === 'oidc' && (
        <form method="post" action="/auth/signout">
          <button type="submit" className="rounded border border-slate-500 px-2 py-0.5 text-slate-100 hover:bg-slate-700">
            Sign out
          </button>
        </form>
      )}
    </div>
  );
}
