import 'server-only';
import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

// Reading kubeconfig files, as kubectl does. Only here and in client.ts does the console build a KubeConfig.

type Env = Readonly<Record<string, string | undefined>>;

/** The kubeconfig files in effect: KUBECONFIG's list (like kubectl), else ~/.kube/config if it exists. */
export function defaultKubeconfigPaths(env: Env = process.env): string[] {
  if (env.KUBECONFIG) return env.KUBECONFIG.split(path.delimiter).filter((file) => file.length > 0);
  const home = env.HOME ?? os.homedir();
  const file = path.join(home, '.kube', 'config');
  return existsSync(file) ? [file] : [];
}

// A file parsed once per version of it: every collection resolves each configured cluster's context, and parsing
// one kubeconfig of 20 contexts 20 times took ~50 ms of the event loop per collection (fleet bench). A parsed file
// is only read here (the merged KubeConfig is new each call), so sharing it is safe.
const parsedFiles = new Map<string, { version: string; kubeconfig: KubeConfig }>();

function parsedKubeconfig(file: string): KubeConfig | null {
  if (!existsSync(file)) return null;
  const stat = statSync(file);
  const version = `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
  const cached = parsedFiles.get(file);
  if (cached?.version === version) return cached.kubeconfig;
  const kubeconfig = new KubeConfig();
  try {
    kubeconfig.loadFromFile(file);
  } catch (error) {
    throw new Error(`kubeconfig ${file}: ${(error as Error).message}`);
  }
  parsedFiles.set(file, { version, kubeconfig });
  return kubeconfig;
}

/**
 * Loads and merges kubeconfig files the way kubectl does: the first file that defines a cluster, user or
 * context name wins, and the current context comes from the first file that sets one. Missing files in
 * the list are skipped, as kubectl skips them.
 */
export function loadKubeconfigFiles(files: string[]): KubeConfig {
  const merged = new KubeConfig();
  merged.loadFromOptions({ clusters: [], users: [], contexts: [], currentContext: '' });
  for (const file of files) {
    const one = parsedKubeconfig(file);
    if (!one) continue;
    for (const cluster of one.getClusters()) if (!merged.getCluster(cluster.name)) merged.addCluster(cluster);
    for (const user of one.getUsers()) if (!merged.getUser(user.name)) merged.addUser(user);
    for (const context of one.getContexts()) if (!merged.getContextObject(context.name)) merged.addContext(context);
    if (!merged.getCurrentContext() && one.getCurrentContext()) merged.setCurrentContext(one.getCurrentContext());
  }
  return merged;
}
