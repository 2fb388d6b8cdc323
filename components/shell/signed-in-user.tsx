import { connection } from 'next/server';
import { getPrincipal } from '@/lib/auth/get-principal';

/** Who is signed in, their teams and a sign-out button (a POST form: sign-out is state-changing). */
export async function SignedInUser() {
  await connection();
  const principal = await getPrincipal();
  if (!principal) return null;
  const role = principal.isAdmin ? 'admin' : principal.teams.length ? principal.teams.join(', ') : 'no team';
  return (
    <div className="flex items-center gap-3 text-[13px]">
      <span data-testid="signed-in-user" className="flex items-center gap-2 text-neutral-200">
        <span
          className="flex size-6 items-center justify-center rounded-full bg-neutral-700 text-[11px] font-semibold uppercase"
          aria-hidden="true"
        >
          {(principal.name ?? principal.subject).slice(0, 1)}
        </span>
        {principal.name ?? principal.subject}
        <span className="rounded bg-neutral-800 px-1.5 py-0.5 text-[11px] text-neutral-300 ring-1 ring-neutral-700">{role}</span>
      </span>
      {principal.via === 'oidc' && (
        <form method="post" action="/auth/signout">
          <button type="submit" className="rounded-md border border-neutral-700 px-2 py-1 text-neutral-200 hover:bg-neutral-800">
            Sign out
          </button>
        </form>
      )}
    </div>
  );
}
