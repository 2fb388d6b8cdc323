import { execFileSync } from 'node:child_process';
import { readStackInfo } from '../stack-info';

// What the console did, read back from the simulator with the real clients (kubectl and the aws CLI), never
// through the console's own state.

export function kubectlJson<T>(context: string, args: string[]): T {
  const { kubeconfigPath } = readStackInfo();
  return JSON.parse(
    execFileSync('kubectl', ['--kubeconfig', kubeconfigPath, '--context', context, ...args, '-o', 'json'], { encoding: 'utf8' }),
  ) as T;
}

export function awsJson<T>(args: string[], account?: { roleArn: string }): T {
  const { awsEnv } = readStackInfo();
  // CLI v1 reads AWS_DEFAULT_REGION, not AWS_REGION; no profile files, so only the simulator's keys count.
  let env: NodeJS.ProcessEnv = {
    ...process.env,
    ...awsEnv,
    AWS_DEFAULT_REGION: awsEnv.AWS_REGION,
    AWS_PAGER: '',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
  if (account) {
    const assumed = JSON.parse(
      execFileSync(
        'aws',
        [
          '--endpoint-url',
          awsEnv.AWS_ENDPOINT_URL,
          'sts',
          'assume-role',
          '--role-arn',
          account.roleArn,
          '--role-session-name',
          'e2e',
          '--output',
          'json',
        ],
        { env, encoding: 'utf8' },
      ),
    ) as {
      Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
    };
    env = {
      ...env,
      AWS_ACCESS_KEY_ID: assumed.Credentials.AccessKeyId,
      AWS_SECRET_ACCESS_KEY: assumed.Credentials.SecretAccessKey,
      AWS_SESSION_TOKEN: assumed.Credentials.SessionToken,
    };
  }
  // The CLI is given the endpoint explicitly: older v1 releases ignore AWS_ENDPOINT_URL.
  return JSON.parse(
    execFileSync('aws', ['--endpoint-url', awsEnv.AWS_ENDPOINT_URL, ...args, '--output', 'json'], { env, encoding: 'utf8' }),
  ) as T;
}

export interface PodList {
  items: {
    metadata: { name: string; deletionTimestamp?: string };
    spec: { serviceAccountName?: string; containers: { env?: { name: string; value?: string }[] }[] };
  }[];
}

export function podsOf(context: string, namespace: string, serviceAccount: string) {
  return kubectlJson<PodList>(context, ['-n', namespace, 'get', 'pods']).items.filter(
    (pod) => pod.spec.serviceAccountName === serviceAccount && !pod.metadata.deletionTimestamp,
  );
}

export function envOf(pod: PodList['items'][number]): Record<string, string | undefined> {
  return Object.fromEntries(
    pod.spec.containers.flatMap((container) => container.env ?? []).map((variable) => [variable.name, variable.value]),
  );
}

/** Runs kubectl against the simulator (a change to the Kubernetes world, as a user would make it); returns its output. */
export function kubectl(context: string, args: string[]): string {
  const { kubeconfigPath } = readStackInfo();
  return execFileSync('kubectl', ['--kubeconfig', kubeconfigPath, '--context', context, ...args], { encoding: 'utf8' });
}
