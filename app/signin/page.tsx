import { redirect } from 'next/navigation';
import { consoleAuthConfig } from '@/lib/auth/console-auth-config';
import { getPrincipal } from '@/lib/auth/get-principal';
import { safeReturnTo } from '@/lib/auth/oidc';
import { signInErrorText } from '@/lib/auth/sign-in-errors';

export const dynamic = 'force-dynamic';

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const config = consoleAuthConfig();
  const returnTo = safeReturnTo(single(params.returnTo));
  if (config.mode === 'none') redirect(returnTo);
  const error = single(params.error);
  const demoUsers = config.auth?.demoUsers ?? [];
  const principal = await getPrincipal();

  return (
    <main className="mx-auto mt-16 max-w-lg rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
      <h1 className="text-xl font-semibold">Sign in to the Workload Identity Console</h1>
      {single(params.signedOut) && (
        <p className="mt-3 text-sm text-slate-600" role="status">
          You are signed out.
        </p>
      )}
      {principal && (
        <p
          className="mt-3 rounded border border-sky-200 bg-sky-50 p-3 text-sm text-slate-800"
          role="status"
          data-testid="already-signed-in"
        >
          You are signed in as <strong>{principal.name ?? principal.subject}</strong>
          {principal.email ? ` (${principal.email})` : ''}.{' '}
          <a href={returnTo} className="font-medium text-sky-800 underline">
            Continue to the console
          </a>
          , or sign out from the header to sign in as someone else.
        </p>
      )}
      {error && (
        <p className="mt-3 rounded border border-red-200 bg-red-50 p-3 text-sm text-red-800" role="alert" data-testid="sign-in-error">
          {signInErrorText(error)}
        </p>
      )}
      {config.mode === 'oidc' ? (
        <a
          href={`/auth/signin?returnTo=${encodeURIComponent(returnTo)}`}
          className="mt-6 inline-block rounded bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700"
        >
          Sign in with SSO
        </a>
      ) : (
        <p className="mt-4 text-sm text-slate-700">
          This console is signed in through an authenticating proxy ({config.auth?.proxy?.type}). Your request did not carry a valid
          identity from it: open the console through the proxy&apos;s address.
        </p>
      )}
      {demoUsers.length > 0 && (
        <section className="mt-8" aria-labelledby="demo-users">
          <h2 id="demo-users" className="text-sm font-semibold text-slate-700">
            Demo users
          </h2>
          <table className="mt-2 w-full text-left text-sm">
            <thead className="text-slate-500">
              <tr>
                <th className="py-1">User</th>
                <th>Team</th>
                <th>Role</th>
                <th>Password</th>
              </tr>
            </thead>
            <tbody>
              {demoUsers.map((user) => (
                <tr key={user.username} className="border-t border-slate-100">
                  <td className="py-1 font-mono">{user.username}</td>
                  <td>{user.team}</td>
                  <td>{user.role}</td>
                  <td className="font-mono">{user.passwordHint}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </main>
  );
}
