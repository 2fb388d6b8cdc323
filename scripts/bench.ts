import { benchConsole } from './bench-console';
import { benchFleet } from './bench-fleet';
import { benchMatrix } from './bench-matrix';
import { benchMigration } from './bench-migration';
import { benchPermissions } from './bench-permissions';
import { benchPolicy } from './bench-policy';
import { benchSimulator } from './bench-sim';
import { benchSnapshots } from './bench-snapshots';
import { benchStore } from './bench-store';

// `npm run bench`: prints figures; never a pass/fail timed test. Run with --conditions=react-server so that
// product modules marked 'server-only' load outside Next.

async function main() {
  const only = process.argv.slice(2);
  const sections: [string, () => Promise<void>][] = [
    ['sim', benchSimulator],
    ['matrix', benchMatrix],
    ['snapshots', benchSnapshots],
    ['policy', benchPolicy],
    ['permissions', benchPermissions],
    ['console', benchConsole],
    ['store', benchStore],
    ['fleet', benchFleet],
    ['migration', benchMigration],
  ];
  // The fleet section takes minutes (its throttled bound alone is over 4 minutes): it runs only when named.
  for (const [name, run] of sections) if ((only.length === 0 && name !== 'fleet') || only.includes(name)) await run();
  console.log(`\npeak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
