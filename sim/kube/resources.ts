import type { PrinterColumn } from './table';

// The resource types the simulated API server serves, as discovery describes them.

export interface ResourceType {
  group: string; // '' for core
  version: string;
  resource: string; // plural
  kind: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  verbs: string[];
  subresources?: string[];
  /** A CRD version's additionalPrinterColumns, for server-side Table output. */
  printerColumns?: PrinterColumn[];
}

const ALL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const BUILTIN_RESOURCES: ResourceType[] = [
  {
    group: '',
    version: 'v1',
    resource: 'namespaces',
    kind: 'Namespace',
    singular: 'namespace',
    namespaced: false,
    shortNames: ['ns'],
    verbs: ALL,
  },
  { group: '', version: 'v1', resource: 'nodes', kind: 'Node', singular: 'node', namespaced: false, shortNames: ['no'], verbs: ALL },
  {
    group: '',
    version: 'v1',
    resource: 'serviceaccounts',
    kind: 'ServiceAccount',
    singular: 'serviceaccount',
    namespaced: true,
    shortNames: ['sa'],
    verbs: ALL,
    subresources: ['token'],
  },
  {
    group: '',
    version: 'v1',
    resource: 'services',
    kind: 'Service',
    singular: 'service',
    namespaced: true,
    shortNames: ['svc'],
    verbs: ALL,
  },
  {
    group: '',
    version: 'v1',
    resource: 'pods',
    kind: 'Pod',
    singular: 'pod',
    namespaced: true,
    shortNames: ['po'],
    verbs: ALL,
    subresources: ['eviction', 'status'],
  },
  {
    group: '',
    version: 'v1',
    resource: 'configmaps',
    kind: 'ConfigMap',
    singular: 'configmap',
    namespaced: true,
    shortNames: ['cm'],
    verbs: ALL,
  },
  { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', singular: 'secret', namespaced: true, verbs: ALL },
  { group: '', version: 'v1', resource: 'events', kind: 'Event', singular: 'event', namespaced: true, shortNames: ['ev'], verbs: ALL },
  {
    group: 'apps',
    version: 'v1',
    resource: 'deployments',
    kind: 'Deployment',
    singular: 'deployment',
    namespaced: true,
    shortNames: ['deploy'],
    verbs: ALL,
    subresources: ['status'],
  },
  {
    group: 'apps',
    version: 'v1',
    resource: 'replicasets',
    kind: 'ReplicaSet',
    singular: 'replicaset',
    namespaced: true,
    shortNames: ['rs'],
    verbs: ALL,
    subresources: ['status'],
  },
  {
    group: 'apps',
    version: 'v1',
    resource: 'statefulsets',
    kind: 'StatefulSet',
    singular: 'statefulset',
    namespaced: true,
    shortNames: ['sts'],
    verbs: ALL,
    subresources: ['status'],
  },
  {
    group: 'apps',
    version: 'v1',
    resource: 'daemonsets',
    kind: 'DaemonSet',
    singular: 'daemonset',
    namespaced: true,
    shortNames: ['ds'],
    verbs: ALL,
    subresources: ['status'],
  },
  {
    group: 'apps',
    version: 'v1',
    resource: 'controllerrevisions',
    kind: 'ControllerRevision',
    singular: 'controllerrevision',
    namespaced: true,
    verbs: ALL,
  },
  { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', singular: 'job', namespaced: true, verbs: ALL, subresources: ['status'] },
  {
    group: 'batch',
    version: 'v1',
    resource: 'cronjobs',
    kind: 'CronJob',
    singular: 'cronjob',
    namespaced: true,
    shortNames: ['cj'],
    verbs: ALL,
  },
  {
    group: 'policy',
    version: 'v1',
    resource: 'poddisruptionbudgets',
    kind: 'PodDisruptionBudget',
    singular: 'poddisruptionbudget',
    namespaced: true,
    shortNames: ['pdb'],
    verbs: ALL,
  },
  {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    resource: 'customresourcedefinitions',
    kind: 'CustomResourceDefinition',
    singular: 'customresourcedefinition',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    verbs: ALL,
  },
  {
    group: 'authorization.k8s.io',
    version: 'v1',
    resource: 'selfsubjectaccessreviews',
    kind: 'SelfSubjectAccessReview',
    singular: '',
    namespaced: false,
    verbs: ['create'],
  },
  {
    group: 'authorization.k8s.io',
    version: 'v1',
    resource: 'selfsubjectrulesreviews',
    kind: 'SelfSubjectRulesReview',
    singular: '',
    namespaced: false,
    verbs: ['create'],
  },
  {
    group: 'authentication.k8s.io',
    version: 'v1',
    resource: 'selfsubjectreviews',
    kind: 'SelfSubjectReview',
    singular: '',
    namespaced: false,
    verbs: ['create'],
  },
  ...(
    [
      ['roles', 'Role', true],
      ['rolebindings', 'RoleBinding', true],
      ['clusterroles', 'ClusterRole', false],
      ['clusterrolebindings', 'ClusterRoleBinding', false],
    ] as const
  ).map(([resource, kind, namespaced]): ResourceType => ({
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    resource,
    kind,
    singular: kind.toLowerCase(),
    namespaced,
    verbs: ALL,
  })),
  {
    group: 'networking.k8s.io',
    version: 'v1',
    resource: 'networkpolicies',
    kind: 'NetworkPolicy',
    singular: 'networkpolicy',
    namespaced: true,
    shortNames: ['netpol'],
    verbs: ALL,
  },
  {
    group: 'restate.dev',
    version: 'v1',
    resource: 'restateclusters',
    kind: 'RestateCluster',
    singular: 'restatecluster',
    namespaced: false,
    verbs: ALL,
  },
  {
    group: 'k3s.cattle.io',
    version: 'v1',
    resource: 'etcdsnapshotfiles',
    kind: 'ETCDSnapshotFile',
    singular: 'etcdsnapshotfile',
    namespaced: false,
    verbs: ALL,
  },
];

export function groupVersion(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

export class ResourceRegistry {
  private readonly types = new Map<string, ResourceType>();

  constructor(initial: ResourceType[] = BUILTIN_RESOURCES) {
    for (const type of initial) this.add(type);
  }

  add(type: ResourceType) {
    this.types.set(`${groupVersion(type)}/${type.resource}`, type);
  }

  get(group: string, version: string, resource: string): ResourceType | undefined {
    return this.types.get(`${group ? `${group}/${version}` : version}/${resource}`);
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    for (const type of this.types.values()) if (groupVersion(type) === apiVersion && type.kind === kind) return type;
    return undefined;
  }

  all(): ResourceType[] {
    return [...this.types.values()];
  }

  /** A CRD object creates its served versions' resources (apiextensions.k8s.io/v1). */
  addFromCrd(crd: Record<string, unknown>) {
    const spec = crd.spec as {
      group: string;
      names: { plural: string; kind: string; singular?: string; shortNames?: string[] };
      scope: string;
      versions: { name: string; served?: boolean; additionalPrinterColumns?: PrinterColumn[] }[];
    };
    if (!spec?.group || !spec.names?.plural) return;
    for (const version of spec.versions ?? []) {
      if (version.served === false) continue;
      this.add({
        group: spec.group,
        version: version.name,
        resource: spec.names.plural,
        kind: spec.names.kind,
        singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
        namespaced: spec.scope === 'Namespaced',
        shortNames: spec.names.shortNames,
        verbs: ALL,
        subresources: ['status'],
        printerColumns: version.additionalPrinterColumns,
      });
    }
  }
}
