import { isAuthNoneMode } from '@/lib/auth/get-principal';

/** Rendered by the layout: with AUTH_MODE=none there is no sign-in and everyone is the local admin. */
export function AuthNoneBanner() {
  if (!isAuthNoneMode()) return null;
  return (
    <div role="status" className="bg-amber-100 px-4 py-2 text-center text-sm text-amber-900">
      Sign-in is off (auth mode &lsquo;none&rsquo;): every visitor acts as the local admin. Allowed only because the console listens on loopback.
    </div>
  );
}
