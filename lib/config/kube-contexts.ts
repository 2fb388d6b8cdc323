import 'server-only';
import { loadConsoleConfig } from './console-config';
import { resolveClusterTargets, type ClusterTarget } from './cluster-targets';

// The clusters of the running console: CONSOLE_CONFIG's `clusters:`, else every kubeconfig context.
export type { ClusterTarget };

export function clusterTargets(): ClusterTarget[] {
  return resolveClusterTargets(loadConsoleConfig());
}
