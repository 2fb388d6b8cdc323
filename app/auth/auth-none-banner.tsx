import { connection } from 'next/server';
import { isAuthNoneMode } from '@/lib/auth/get-principal';

/**
 * Rendered by the root layout: with AUTH_MODE=none there is no sign-in and everyone is the local admin.
 * Awaiting connection() opts every page into dynamic rendering, which the per-request CSP nonce needs
 * (a prerendered page would carry scripts without the nonce and be blocked).
 */
export async function AuthNoneBanner() {
  await connection();
  if (!isAuthNoneMode()) return null;
  return (
    <div role="status" className="bg-amber-100 px-4 py-2 text-center text-sm text-amber-900">
      Sign-in is off (auth mode &lsquo;none&rsquo;): every visitor acts as the local admin. Allowed only because the console listens on
      loopback.
    </div>
  );
}
