import { resetAwsClients } from '@/lib/aws/clients';
import { resetKubeConnections } from '@/lib/kube/client';

/**
 * Points the console's code in this test process at a simulator (KUBECONFIG, AWS_ENDPOINT_URL, credentials):
 * sets `env`, removes `unset`, and drops the cached clients so the next call uses them. Returns the undo,
 * which restores the environment exactly and drops the clients again.
 */
export function pointConsoleAt(env: Record<string, string>, unset: string[] = []): () => void {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  for (const key of unset) delete process.env[key];
  resetAwsClients();
  resetKubeConnections();
  return () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    resetAwsClients();
    resetKubeConnections();
  };
}
