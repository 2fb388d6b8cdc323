import type { SignInView } from '@/lib/auth/sign-in-view';
import { Section } from '@/components/shell/page-header';

/** How to sign in: the SSO button (or the proxy's name), who is signed in already, and a known error in words. */
export function SignInPanel({ view }: { view: SignInView }) {
  return (
    <div className="space-y-4 rounded-lg border border-neutral-200 bg-white p-6 max-md:p-4">
      {view.signedOut && (
        <p role="status" className="text-[13px] text-neutral-700">
          You are signed out.
        </p>
      )}
      {view.signedInAs && (
        <p
          role="status"
          data-testid="already-signed-in"
          className="rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-[13px] text-neutral-800"
        >
          You are signed in as <strong>{view.signedInAs.name}</strong>
          {view.signedInAs.email ? ` (${view.signedInAs.email})` : ''}.{' '}
          <a href={view.returnTo} className="font-medium text-sky-800 underline">
            Continue to the console
          </a>
          , or sign out from the header to sign in as someone else.
        </p>
      )}
      {view.error && (
        <p
          role="alert"
          data-testid="sign-in-error"
          className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-[13px] text-red-800"
        >
          {view.error}
        </p>
      )}
      {view.method.kind === 'oidc' ? (
        <a
          href={`/auth/signin?returnTo=${encodeURIComponent(view.returnTo)}`}
          className="inline-block rounded-md bg-neutral-900 px-4 py-2 text-[13px] font-medium text-white hover:bg-neutral-800"
        >
          Sign in with SSO
        </a>
      ) : (
        <p className="text-[13px] text-neutral-700">
          This console is signed in through an authenticating proxy ({view.method.proxy}). Your request did not carry a valid identity from
          it: open the console through the proxy&apos;s address.
        </p>
      )}
    </div>
  );
}

/** The demo's users with their team, role and password (the demo config lists them; production configs do not). */
export function DemoUsers({ users }: { users: SignInView['demoUsers'] }) {
  if (users.length === 0) return null;
  return (
    <Section title="Demo users" description="each team and role of the demo fleet">
      <div className="overflow-x-auto rounded-lg border border-neutral-200 bg-white">
        <table className="w-full text-left text-[13px]">
          <thead className="border-b border-neutral-200 bg-neutral-50 text-[12px] text-neutral-600">
            <tr>
              <th className="px-3 py-2 font-medium">User</th>
              <th className="px-3 py-2 font-medium">Team</th>
              <th className="px-3 py-2 font-medium">Role</th>
              <th className="px-3 py-2 font-medium">Password</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-neutral-100">
            {users.map((user) => (
              <tr key={user.username}>
                <td className="px-3 py-1.5 font-mono">{user.username}</td>
                <td className="px-3 py-1.5">{user.team}</td>
                <td className="px-3 py-1.5">{user.role}</td>
                <td className="px-3 py-1.5 font-mono">{user.passwordHint}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}
