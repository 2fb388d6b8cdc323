import type { SimEksCluster } from '../world';
import type { KubeObj } from './store';

// admitPod: the EKS Pod Identity webhook's mutation, applied to the cluster's state at the moment the pod
// is created (aws/amazon-eks-pod-identity-webhook, pkg/handler/handler.go; domain.md §1a–1c). Running pods
// are never changed. Env a container already sets is never overwritten.

export const POD_IDENTITY_TOKEN_DIR = '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount';
export const IRSA_TOKEN_DIR = '/var/run/secrets/eks.amazonaws.com/serviceaccount';

interface Container {
  name: string;
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  [k: string]: unknown;
}

function addEnv(container: Container, name: string, value: string) {
  container.env ??= [];
  if (container.env.some((e) => e.name === name)) return;
  container.env.push({ name, value });
}

function addMount(container: Container, name: string, mountPath: string) {
  container.volumeMounts ??= [];
  if (container.volumeMounts.some((m) => m.name === name || m.mountPath === mountPath)) return;
  container.volumeMounts.push({ name, mountPath, readOnly: true });
}

function parseBool(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  // The webhook parses the annotation with strconv.ParseBool.
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  return undefined;
}

export function admitPod(
  pod: KubeObj,
  context: { eks?: SimEksCluster; serviceAccountAnnotations: Record<string, string> | undefined },
): KubeObj {
  const eks = context.eks;
  if (!eks) return pod;
  const spec = pod.spec as {
    serviceAccountName?: string;
    containers?: Container[];
    initContainers?: Container[];
    volumes?: Record<string, unknown>[];
  };
  const namespace = pod.metadata.namespace ?? 'default';
  const serviceAccount = spec.serviceAccountName || 'default';
  const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
  spec.volumes ??= [];

  const association = [...eks.associations.values()].find((a) => a.namespace === namespace && a.serviceAccount === serviceAccount);
  if (association) {
    // "Container credentials take precedence": with an association, only the Pod Identity vars are injected.
    for (const container of containers) {
      addEnv(container, 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'http://169.254.170.23/v1/credentials');
      addEnv(container, 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', `${POD_IDENTITY_TOKEN_DIR}/eks-pod-identity-token`);
      addMount(container, 'eks-pod-identity-token', POD_IDENTITY_TOKEN_DIR);
    }
    if (!spec.volumes.some((v) => v.name === 'eks-pod-identity-token')) {
      spec.volumes.push({
        name: 'eks-pod-identity-token',
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { audience: 'pods.eks.amazonaws.com', expirationSeconds: 86400, path: 'eks-pod-identity-token' } },
          ],
        },
      });
    }
    return pod;
  }

  const annotations = context.serviceAccountAnnotations ?? {};
  const roleArn = annotations['eks.amazonaws.com/role-arn'];
  if (!roleArn) return pod;
  const audience = annotations['eks.amazonaws.com/audience'] || 'sts.amazonaws.com';
  const podExpiration = Number((pod.metadata.annotations as Record<string, string> | undefined)?.['eks.amazonaws.com/token-expiration']);
  const saExpiration = Number(annotations['eks.amazonaws.com/token-expiration']);
  const valid = (n: number) => Number.isInteger(n) && n >= 600 && n <= 86400;
  const expirationSeconds = valid(podExpiration) ? podExpiration : valid(saExpiration) ? saExpiration : 86400;
  const regional = parseBool(annotations['eks.amazonaws.com/sts-regional-endpoints']) ?? eks.stsRegionalDefault;
  for (const container of containers) {
    const setsRegion = container.env?.some((e) => e.name === 'AWS_REGION' || e.name === 'AWS_DEFAULT_REGION');
    addEnv(container, 'AWS_ROLE_ARN', roleArn);
    addEnv(container, 'AWS_WEB_IDENTITY_TOKEN_FILE', `${IRSA_TOKEN_DIR}/token`);
    if (regional) addEnv(container, 'AWS_STS_REGIONAL_ENDPOINTS', 'regional');
    if (!setsRegion) {
      addEnv(container, 'AWS_DEFAULT_REGION', eks.region);
      addEnv(container, 'AWS_REGION', eks.region);
    }
    addMount(container, 'aws-iam-token', IRSA_TOKEN_DIR);
  }
  if (!spec.volumes.some((v) => v.name === 'aws-iam-token')) {
    spec.volumes.push({
      name: 'aws-iam-token',
      projected: { defaultMode: 420, sources: [{ serviceAccountToken: { audience, expirationSeconds, path: 'token' } }] },
    });
  }
  return pod;
}
