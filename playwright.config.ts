import { defineConfig } from '@playwright/test';

// Debian's Chromium: Playwright's own browser download cannot be reached from these machines.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  // Global setup's stack is shared: the specs that only read it run two at a time, then one at a time those that
  // disturb it (simulator faults, kubectl changes timed to the screen, sessions ended), then those that change it.
  // Beside them all runs in-cluster.spec, which starts its own simulator and console and spends most of its minutes
  // waiting on that console's refresh limit. Each project says how many of these workers it may use.
  workers: 3,
  retries: 0,
  reporter: [['list']],
  projects: [
    // Diagnosis specs only read the fleet, so one retry is safe there; Playwright still lists a test that needed it as
    // "flaky". Action specs change the fleet, so a retry would start from a different world: none there.
    {
      name: 'diagnosis',
      testIgnore: /(^|\/)(faults|live|session|sign-in|actions|attacks|migration|in-cluster)\.spec\.ts$/,
      retries: 1,
      workers: 2,
    },
    // Faults the simulator injects, a kubectl change that must reach the screen within 2 s, sessions ended: no
    // other spec may be reading the stack meanwhile. Each heals what it did, so a retry starts from the same world.
    {
      name: 'disturbance',
      testMatch: /(^|\/)(faults|live|session|sign-in)\.spec\.ts$/,
      dependencies: ['diagnosis'],
      retries: 1,
      workers: 1,
    },
    // The action specs change the demo fleet, so they run after every spec that reads it as the scenario wrote it.
    { name: 'actions', testMatch: /(^|\/)(actions|attacks|migration)\.spec\.ts$/, dependencies: ['disturbance'], workers: 1 },
    // Its own world (e2e/support/in-cluster.ts): nothing it does is seen by the other specs, nor theirs by it.
    { name: 'in-cluster', testMatch: /(^|\/)in-cluster\.spec\.ts$/, retries: 1, workers: 1 },
  ],
  globalSetup: './e2e/global-setup.ts',
  globalTeardown: './e2e/global-teardown.ts',
  use: {
    baseURL: process.env.E2E_BASE_URL ?? `http://127.0.0.1:${process.env.E2E_PORT ?? 3100}`,
    // Recording a trace costs every test CPU on 2 cores; the retry of a failed diagnosis test records one.
    trace: 'on-first-retry',
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
