// EKS access policies as the Kubernetes ClusterRoles they amount to, rule for rule from the EKS user guide
// ("Review access policy permissions", docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html).
// Each row of the guide's tables is one rule. An access entry's policy applies cluster-wide (like a
// ClusterRoleBinding) or in the namespaces of its scope (like a RoleBinding in each), see eks-authz.ts.

import type { PolicyRule } from './rbac';

type AccessPolicyRule = PolicyRule;

export interface AccessPolicy {
  name: string;
  rules: AccessPolicyRule[];
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];

const APPS_READ = [
  'controllerrevisions',
  'daemonsets',
  'daemonsets/status',
  'deployments',
  'deployments/scale',
  'deployments/status',
  'replicasets',
  'replicasets/scale',
  'replicasets/status',
  'statefulsets',
  'statefulsets/scale',
  'statefulsets/status',
];
const EXTENSIONS_READ = [
  'daemonsets',
  'daemonsets/status',
  'deployments',
  'deployments/scale',
  'deployments/status',
  'ingresses',
  'ingresses/status',
  'networkpolicies',
  'replicasets',
  'replicasets/scale',
  'replicasets/status',
  'replicationcontrollers/scale',
];
const CORE_READ = [
  'configmaps',
  'endpoints',
  'persistentvolumeclaims',
  'persistentvolumeclaims/status',
  'pods',
  'replicationcontrollers',
  'replicationcontrollers/scale',
  'serviceaccounts',
  'services',
  'services/status',
];
const CORE_STATUS_READ = [
  'bindings',
  'events',
  'limitranges',
  'namespaces/status',
  'pods/log',
  'pods/status',
  'replicationcontrollers/status',
  'resourcequotas',
  'resourcequotas/status',
];

const VIEW_RULES: AccessPolicyRule[] = [
  { apiGroups: ['apps'], resources: APPS_READ, verbs: READ },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], verbs: READ },
  { apiGroups: ['batch'], resources: ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  { apiGroups: ['extensions'], resources: EXTENSIONS_READ, verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'ingresses/status', 'networkpolicies'], verbs: READ },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets', 'poddisruptionbudgets/status'], verbs: READ },
  { apiGroups: [''], resources: CORE_READ, verbs: READ },
  { apiGroups: [''], resources: CORE_STATUS_READ, verbs: READ },
  { apiGroups: [''], resources: ['namespaces'], verbs: READ },
];

const EDIT_RULES: AccessPolicyRule[] = [
  ...VIEW_RULES,
  {
    apiGroups: ['apps'],
    resources: [
      'daemonsets',
      'deployments',
      'deployments/rollback',
      'deployments/scale',
      'replicasets',
      'replicasets/scale',
      'statefulsets',
      'statefulsets/scale',
    ],
    verbs: WRITE,
  },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: WRITE },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: WRITE },
  {
    apiGroups: ['extensions'],
    resources: [
      'daemonsets',
      'deployments',
      'deployments/rollback',
      'deployments/scale',
      'ingresses',
      'networkpolicies',
      'replicasets',
      'replicasets/scale',
      'replicationcontrollers/scale',
    ],
    verbs: WRITE,
  },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: WRITE },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: WRITE },
  { apiGroups: [''], resources: ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], verbs: READ },
  { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
  { apiGroups: [''], resources: ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], verbs: WRITE },
  {
    apiGroups: [''],
    resources: [
      'configmaps',
      'events',
      'persistentvolumeclaims',
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'secrets',
      'serviceaccounts',
      'services',
      'services/proxy',
    ],
    verbs: WRITE,
  },
];

const ADMIN_RULES: AccessPolicyRule[] = [
  ...EDIT_RULES,
  { apiGroups: ['authorization.k8s.io'], resources: ['localsubjectaccessreviews'], verbs: ['create'] },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings', 'roles'], verbs: [...WRITE, ...READ] },
];

export const ACCESS_POLICIES: AccessPolicy[] = [
  { name: 'AmazonEKSViewPolicy', rules: VIEW_RULES },
  { name: 'AmazonEKSEditPolicy', rules: EDIT_RULES },
  { name: 'AmazonEKSAdminPolicy', rules: ADMIN_RULES },
  {
    name: 'AmazonEKSClusterAdminPolicy',
    rules: [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { nonResourceURLs: ['*'], verbs: ['*'] },
    ],
  },
  { name: 'AmazonEKSAdminViewPolicy', rules: [{ apiGroups: ['*'], resources: ['*'], verbs: READ }] },
  { name: 'AmazonEKSSecretReaderPolicy', rules: [{ apiGroups: [''], resources: ['secrets'], verbs: READ }] },
];

const ACCESS_POLICY_ARN = /^arn:aws[\w-]*:eks::aws:cluster-access-policy\/([A-Za-z0-9]+)$/;

/** The policy an ARN names (any partition), or undefined for one the simulator does not model. */
export function accessPolicyByArn(policyArn: string): AccessPolicy | undefined {
  const name = ACCESS_POLICY_ARN.exec(policyArn)?.[1];
  return ACCESS_POLICIES.find((policy) => policy.name === name);
}
