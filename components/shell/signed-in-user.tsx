import { connection } from 'next/server';
import { getPrincipal } from '@/lib/auth/get-principal';
import { consoleAuthConfig } from '@/lib/auth/console-auth-config';
import { grantsFor } from '@/lib/auth/scope';
import { LiveEvents } from './live-events';
import { ScopePopover } from './scope-popover';

/** Who is signed in, their scope (a popover from the chip) and a sign-out button (a POST form: sign-out is state-changing). */
export async function SignedInUser() {
  await connection();
  const principal = await getPrincipal();
  if (!principal) return null;
  return (
    <div className="flex items-center gap-3 text-[13px] max-md:justify-between">
      {/* Only a signed-in user has a stream to listen to. */}
      <LiveEvents />
      <ScopePopover
        name={principal.name ?? principal.subject}
        subject={principal.subject}
        {...(principal.email ? { email: principal.email } : {})}
        via={principal.via}
        teams={principal.teams}
        isAdmin={principal.isAdmin}
        grants={principal.isAdmin ? [] : grantsFor(principal, consoleAuthConfig().teams)}
      />
      {principal.via === 'oidc' && (
        <form method="post" action="/auth/signout">
          <button type="submit" className="rounded-md border border-neutral-700 px-2 py-1 text-neutral-100 hover:bg-neutral-800">
            Sign out
          </button>
        </form>
      )}
    </div>
  );
}
