import 'server-only';
import { existsSync } from 'node:fs';
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

/**
 * Loads and merges kubeconfig files the way kubectl does: the first file that defines a cluster, user or
 * context name wins, and the current context comes from the first file that sets one. Missing files in
 * the list are skipped, as kubectl skips them.
 */
export function loadKubeconfigFiles(files: string[]): KubeConfig {
  const merged = new KubeConfig();
  merged.loadFromOptions({ clusters: [], users: [], contexts: [], currentContext: '' });
  for (const file of files) {
    if (!existsSync(file)) continue;
    const one = new KubeConfig();
    try {
      one.loadFromFile(file);
    } catch (error) {
      throw new Error(`kubeconfig ${file}: ${(error as Error).message}`);
    }
    for (const cluster of one.getClusters()) if (!merged.getCluster(cluster.name)) merged.addCluster(cluster);
    for (const user of one.getUsers()) if (!merged.getUser(user.name)) merged.addUser(user);
    for (const context of one.getContexts()) if (!merged.getContextObject(context.name)) merged.addContext(context);
    if (!merged.getCurrentContext() && one.getCurrentContext()) merged.setCurrentContext(one.getCurrentContext());
  }
  return merged;
}
