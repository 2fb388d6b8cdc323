import { authorizePrincipal } from './aws/authorize';
import { findRole } from './aws/iam-entities';
import { conditionsHold, contextOf, statementsOf, asList } from './aws/policy-evaluator';
import { podIdentitySessionTags, type Principal } from './aws/principals';
import { podIdentityTrustAllows, trustAllowsAssumeRole, trustsPodIdentity } from './aws/trust-policy';
import type { KubeCluster } from './kube/cluster';
import type { KubeObj } from './kube/store';
import type { PolicyDocument, SimWorld } from './world';

// The AWS identity a simulated pod really acts with (scenario-format.md, "Workload writes"): what the AWS SDK's
// default credential chain finds in the pod's environment, in its order — static keys (AWS_ACCESS_KEY_ID), then a
// web identity token (IRSA: AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE), then the container credentials endpoint
// (EKS Pod Identity: AWS_CONTAINER_CREDENTIALS_FULL_URI) — and whether AWS would hand it credentials right now.
// Read from the world at every call, so a fixed trust policy or a new association applies at once.

export type WorkloadIdentity =
  { ok: true; principal: Principal; via: 'static-keys' | 'irsa' | 'pod-identity' } | { ok: false; reason: string };

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name?: string; key?: string } };
}

function envOf(pod: KubeObj): EnvVar[] {
  const containers = (pod.spec as { containers?: { env?: EnvVar[] }[] } | undefined)?.containers ?? [];
  return containers[0]?.env ?? [];
}

function envValue(cluster: KubeCluster, pod: KubeObj, env: EnvVar[], name: string): string | undefined {
  const variable = env.find((v) => v.name === name);
  if (!variable) return undefined;
  if (variable.value !== undefined) return variable.value;
  const ref = variable.valueFrom?.secretKeyRef;
  if (!ref?.name || !ref.key) return undefined;
  const secretType = cluster.registry.get('', 'v1', 'secrets');
  const secret = secretType ? cluster.store.get(secretType, pod.metadata.namespace, ref.name) : undefined;
  const data = (secret?.data as Record<string, string> | undefined)?.[ref.key];
  if (data !== undefined) return Buffer.from(data, 'base64').toString('utf8');
  return (secret?.stringData as Record<string, string> | undefined)?.[ref.key];
}

/** A variable of the pod's first container, as the container sees it (a value, or a secretKeyRef resolved now). */
export function podEnvValue(cluster: KubeCluster, pod: KubeObj, name: string): string | undefined {
  return envValue(cluster, pod, envOf(pod), name);
}

/** Who signs with this access key: an account's root or an IAM user (an unknown key gets no identity). */
export function staticKeyIdentity(world: SimWorld, accessKeyId: string): WorkloadIdentity {
  for (const account of world.accounts.values()) {
    if (account.accessKeyId === accessKeyId) return { ok: true, principal: { kind: 'root', account: account.id }, via: 'static-keys' };
    for (const user of account.users.values())
      if (user.accessKeyId === accessKeyId) return { ok: true, principal: { kind: 'user', user }, via: 'static-keys' };
  }
  return { ok: false, reason: `the access key ${accessKeyId} is not valid (InvalidAccessKeyId)` };
}

/** AssumeRoleWithWebIdentity: the role trusts the cluster's OIDC provider for this service account (AUG iam-roles-for-service-accounts). */
function irsaIdentity(world: SimWorld, cluster: KubeCluster, pod: KubeObj, roleArn: string): WorkloadIdentity {
  const role = findRole(world, roleArn);
  if (!role) return { ok: false, reason: `the role ${roleArn} does not exist` };
  const issuer = cluster.eks?.oidcIssuer.replace(/^https:\/\//, '');
  if (!issuer) return { ok: false, reason: 'the cluster has no OIDC issuer' };
  const providerArn = `arn:aws:iam::${role.account}:oidc-provider/${issuer}`;
  if (!world.accounts.get(role.account)?.oidcProviders.has(providerArn))
    return { ok: false, reason: `no OIDC provider ${providerArn} in the role's account` };
  const serviceAccount = (pod.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName ?? 'default';
  const context = contextOf({
    [`${issuer}:sub`]: `system:serviceaccount:${pod.metadata.namespace}:${serviceAccount}`,
    [`${issuer}:aud`]: 'sts.amazonaws.com',
    [`${issuer}:oaud`]: 'sts.amazonaws.com',
  });
  const applicable = statementsOf(role.trustPolicy).filter((statement) => {
    const principal = statement.Principal;
    const federated = principal && typeof principal === 'object' ? asList((principal as Record<string, unknown>).Federated) : [];
    const actions = asList(statement.Action).map((a) => a.toLowerCase());
    return (
      (federated.includes(providerArn) || principal === '*') &&
      actions.some((a) => a === 'sts:assumerolewithwebidentity' || a === 'sts:*' || a === '*') &&
      conditionsHold(statement, context, true)
    );
  });
  if (applicable.some((s) => s.Effect === 'Deny') || !applicable.some((s) => s.Effect === 'Allow'))
    return { ok: false, reason: `the trust policy of ${roleArn} does not let ${providerArn} assume it for this service account` };
  return {
    ok: true,
    principal: {
      kind: 'assumed-role',
      session: { role, sessionName: `botocore-session-${pod.metadata.name}`.slice(0, 64), tags: {}, sessionPolicies: [] },
    },
    via: 'irsa',
  };
}

const AGENT_ADDRESS = '169.254.170.23';

function ipv4InCidr(ip: string, cidr: string): boolean {
  const [net, bitsText] = cidr.split('/');
  const toNumber = (a: string) => a.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
  const bits = Number(bitsText);
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(net) || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(toNumber(ip) / size) === Math.floor(toNumber(net) / size);
}

/**
 * Whether the pod's proxy variables send the credential request for the node-local agent to a proxy, which cannot
 * reach it (findings.md PI013: HTTP_PROXY/HTTPS_PROXY in either case without NO_PROXY covering 169.254.170.23).
 * NO_PROXY entries: `*`, the address itself, or a CIDR that contains it.
 */
function proxyHidesAgent(cluster: KubeCluster, pod: KubeObj, env: EnvVar[]): boolean {
  const value = (name: string) => envValue(cluster, pod, env, name) ?? envValue(cluster, pod, env, name.toLowerCase());
  if (!value('HTTP_PROXY') && !value('HTTPS_PROXY')) return false;
  const noProxy = (value('NO_PROXY') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return !noProxy.some((entry) => entry === '*' || entry === AGENT_ADDRESS || (entry.includes('/') && ipv4InCidr(AGENT_ADDRESS, entry)));
}

/** EKS Pod Identity: the agent gets the association's role session (with the session tags, the session policy, the target role). */
function podIdentity(world: SimWorld, cluster: KubeCluster, pod: KubeObj): WorkloadIdentity {
  const eks = cluster.eks;
  if (!eks) return { ok: false, reason: 'Pod Identity works only on EKS clusters' };
  if (!eks.autoMode && !eks.addons.has('eks-pod-identity-agent')) return { ok: false, reason: 'the cluster runs no Pod Identity agent' };
  if (proxyHidesAgent(cluster, pod, envOf(pod)))
    return {
      ok: false,
      reason: `the pod's HTTP(S)_PROXY receives the credential request for ${AGENT_ADDRESS} (NO_PROXY does not cover it)`,
    };
  const serviceAccount = (pod.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName ?? 'default';
  const association = [...eks.associations.values()].find(
    (a) => a.namespace === pod.metadata.namespace && a.serviceAccount === serviceAccount,
  );
  if (!association) return { ok: false, reason: `no Pod Identity association for ${pod.metadata.namespace}/${serviceAccount}` };
  const role = findRole(world, association.roleArn);
  if (!role) return { ok: false, reason: `the role ${association.roleArn} does not exist` };
  if (!trustsPodIdentity(role.trustPolicy))
    return {
      ok: false,
      reason: `the trust policy of ${role.arn} does not let pods.eks.amazonaws.com call sts:AssumeRole and sts:TagSession`,
    };
  const tags = association.disableSessionTags
    ? {}
    : podIdentitySessionTags(
        { arn: eks.arn, name: eks.name },
        { namespace: pod.metadata.namespace!, serviceAccount, name: pod.metadata.name, uid: String(pod.metadata.uid ?? '') },
      );
  let sessionPolicies: PolicyDocument[] = [];
  if (association.policy) {
    try {
      sessionPolicies = [JSON.parse(association.policy) as PolicyDocument];
    } catch {
      return { ok: false, reason: 'the association policy is not valid JSON' };
    }
  }
  // EKS assumes the role as pods.eks.amazonaws.com for the cluster, with the tags unless disabled: the trust
  // policy's conditions decide now, at credential time (AUG pod-id-role "Setting Conditions").
  const firstActions = association.disableSessionTags ? ['sts:AssumeRole'] : ['sts:AssumeRole', 'sts:TagSession'];
  for (const action of firstActions)
    if (!podIdentityTrustAllows(role.trustPolicy, { sourceAccount: eks.account, sourceArn: eks.arn, sessionTags: tags }, action))
      return {
        ok: false,
        reason: `the trust policy of ${role.arn} does not let pods.eks.amazonaws.com call ${action} for ${eks.name}/${pod.metadata.namespace}/${serviceAccount} (its conditions do not match)`,
      };
  const sessionName = `eks-${eks.name}-${pod.metadata.name}`.slice(0, 64);
  const first: Principal = {
    kind: 'assumed-role',
    session: { role, sessionName, tags, sessionPolicies: association.targetRoleArn ? [] : sessionPolicies },
  };
  if (!association.targetRoleArn) return { ok: true, principal: first, via: 'pod-identity' };

  // A target role: the first role's session assumes it, passing the session tags, with the association's external
  // id (AUG pod-id-assign-target-role). Both the target's trust policy and the first role's permissions must allow it.
  const target = findRole(world, association.targetRoleArn);
  if (!target) return { ok: false, reason: `the target role ${association.targetRoleArn} does not exist` };
  const caller = { account: role.account, principalArns: [role.arn], externalId: association.externalId, requestTags: tags };
  const actions = association.disableSessionTags ? ['sts:AssumeRole'] : ['sts:AssumeRole', 'sts:TagSession'];
  for (const action of actions) {
    if (!trustAllowsAssumeRole(target.trustPolicy, caller, action))
      return { ok: false, reason: `the trust policy of ${target.arn} does not let ${role.arn} call ${action}` };
    const namedDirectly = trustAllowsAssumeRole(target.trustPolicy, { ...caller, account: '' }, action);
    if (namedDirectly && target.account === role.account) continue;
    const decision = authorizePrincipal(world, first, { action, resource: target.arn });
    if (!decision.allowed) return { ok: false, reason: `${role.arn} may not call ${action} on ${target.arn}` };
  }
  return {
    ok: true,
    principal: { kind: 'assumed-role', session: { role: target, sessionName, tags, sessionPolicies } },
    via: 'pod-identity',
  };
}

export function workloadIdentity(world: SimWorld, cluster: KubeCluster, pod: KubeObj): WorkloadIdentity {
  const env = envOf(pod);
  const accessKeyId = envValue(cluster, pod, env, 'AWS_ACCESS_KEY_ID');
  if (accessKeyId) return staticKeyIdentity(world, accessKeyId);
  const roleArn = envValue(cluster, pod, env, 'AWS_ROLE_ARN');
  if (roleArn && envValue(cluster, pod, env, 'AWS_WEB_IDENTITY_TOKEN_FILE')) return irsaIdentity(world, cluster, pod, roleArn);
  if (envValue(cluster, pod, env, 'AWS_CONTAINER_CREDENTIALS_FULL_URI')) return podIdentity(world, cluster, pod);
  return { ok: false, reason: 'the pod has no AWS credentials in its environment' };
}
