// Runs once when the server starts: refuse to serve an unsafe auth setup (issue 5: no auth section, or
// AUTH_MODE=none, while listening beyond loopback) before any request is answered.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // A background job (an apply, a roll) that fails in an unforeseen way must not take every user's console
  // down with it: Node ends the process on an unhandled rejection by default. Log it and carry on.
  process.on('unhandledRejection', (reason) => {
    console.error(
      `unhandled rejection (the console keeps running): ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`,
    );
  });
  const { assertAuthConfigSafe } = await import('./lib/auth/safety');
  const { consoleAuthConfig } = await import('./lib/auth/console-auth-config');
  try {
    assertAuthConfigSafe({ auth: consoleAuthConfig().auth }, process.env.HOST);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
  // Jobs: this replica's heartbeat, and the background work (jobs of replicas that stopped) when it holds the lock.
  await import('./lib/actions/jobs');
  const { startJobSupervisor } = await import('./lib/store/job-supervisor');
  startJobSupervisor();
  // The fleet refreshes nobody asked for, on the replica holding the background lock only.
  const { startBackgroundRefresh } = await import('./lib/console/background-refresh');
  startBackgroundRefresh();
}
