export default async function globalTeardown() {
  for (const running of globalThis.__e2eProcesses ?? []) await running.stop();
}
