import { createHash } from 'node:crypto';
import { groupVersion, type ResourceType } from './resources';
import { KubeError } from './status';

// /openapi/v2 and /openapi/v3 for the served resources. kubectl reads them before `apply`: with OpenAPI v3 it
// looks for each kind's PATCH operation (x-kubernetes-group-version-kind) and its `fieldValidation` query
// parameter (k8s.io/cli-runtime resource/query_param_verifier_v3.go); when the server declares it, kubectl
// sends fieldValidation=Strict and the server validates, which this simulator does (validateFields below).
// The documents describe paths and operations; a kind's schema is the open `object` (strategic merge
// falls back to kubectl's compiled-in types, as it does for any kind whose schema OpenAPI does not give).

const KUBERNETES_VERSION_INFO = (version: string) => ({ title: 'Kubernetes', version: `v${version}.4` });

const param = (name: string, inPath: 'path' | 'query', description: string) => ({
  name,
  in: inPath,
  description,
  ...(inPath === 'path' ? { required: true } : {}),
  schema: { type: 'string', uniqueItems: true },
});

const QUERY_WRITE_PARAMS = [
  param('dryRun', 'query', 'When present, indicates that modifications should not be persisted.'),
  param('fieldManager', 'query', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
  param(
    'fieldValidation',
    'query',
    'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn, Strict.',
  ),
];

function basePath(type: ResourceType, namespaced: boolean): string {
  const root = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
  return namespaced ? `${root}/namespaces/{namespace}/${type.resource}` : `${root}/${type.resource}`;
}

function operations(type: ResourceType) {
  const gvk = { group: type.group, version: type.version, kind: type.kind };
  const op = (action: string, verb: string, extra: object = {}) => ({
    description: `${verb} ${type.kind}`,
    operationId: `${verb}${type.namespaced ? 'Namespaced' : ''}${type.kind}`,
    tags: [groupVersion(type)],
    responses: { '200': { description: 'OK' }, '401': { description: 'Unauthorized' } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    ...extra,
  });
  const collection = {
    get: op('list', 'list'),
    post: op('post', 'create', { parameters: QUERY_WRITE_PARAMS }),
    ...(type.verbs.includes('deletecollection') ? { delete: op('deletecollection', 'deleteCollection') } : {}),
    parameters: type.namespaced ? [param('namespace', 'path', 'object name and auth scope, such as for teams and projects')] : [],
  };
  const item = {
    get: op('get', 'read'),
    put: op('put', 'replace', { parameters: QUERY_WRITE_PARAMS }),
    // kubectl (query_param_verifier_v3) accepts fieldValidation among the PATCH parameters.
    patch: op('patch', 'patch', {
      parameters: [...QUERY_WRITE_PARAMS, param('force', 'query', 'Force is going to "force" Apply requests.')],
    }),
    delete: op('delete', 'delete'),
    parameters: [
      param('name', 'path', `name of the ${type.kind}`),
      ...(type.namespaced ? [param('namespace', 'path', 'object name and auth scope, such as for teams and projects')] : []),
      ...QUERY_WRITE_PARAMS,
    ],
  };
  return { collection, item };
}

function schemaName(type: ResourceType): string {
  return `${type.group || 'core'}.${type.version}.${type.kind}`;
}

function gvDocument(types: ResourceType[], version: string) {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const type of types) {
    if (!type.verbs.includes('get')) {
      // Review kinds (SelfSubjectAccessReview, …) are create-only.
      paths[basePath(type, false)] = { post: operations(type).collection.post };
      continue;
    }
    const { collection, item } = operations(type);
    paths[basePath(type, type.namespaced)] = collection;
    paths[`${basePath(type, type.namespaced)}/{name}`] = item;
    schemas[schemaName(type)] = {
      type: 'object',
      description: `${type.kind} (${groupVersion(type)})`,
      'x-kubernetes-group-version-kind': [{ group: type.group, version: type.version, kind: type.kind }],
    };
  }
  return { openapi: '3.0.0', info: KUBERNETES_VERSION_INFO(version), paths, components: { schemas } };
}

const gvPath = (group: string, version: string) => (group ? `apis/${group}/${version}` : `api/${version}`);

/** GET /openapi/v3 (the index) or /openapi/v3/<api|apis/group>/<version>. */
export function openApiV3(types: ResourceType[], path: string, kubernetesVersion: string): unknown {
  const byGv = new Map<string, ResourceType[]>();
  for (const type of types) {
    const key = gvPath(type.group, type.version);
    byGv.set(key, [...(byGv.get(key) ?? []), type]);
  }
  const rest = path.replace(/^\/openapi\/v3\/?/, '');
  if (rest === '') {
    const paths: Record<string, unknown> = {};
    for (const [key, members] of byGv) {
      const hash = createHash('sha512')
        .update(JSON.stringify(gvDocument(members, kubernetesVersion)))
        .digest('hex')
        .slice(0, 128)
        .toUpperCase();
      paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
    }
    return { paths };
  }
  const members = byGv.get(rest);
  if (!members) throw new KubeError(404, 'NotFound', 'the server could not find the requested resource');
  return gvDocument(members, kubernetesVersion);
}

/** GET /openapi/v2, as JSON (the Swagger 2.0 form of the same paths). */
export function openApiV2(types: ResourceType[], kubernetesVersion: string): unknown {
  const paths: Record<string, unknown> = {};
  const definitions: Record<string, unknown> = {};
  for (const type of types) {
    if (!type.verbs.includes('get')) continue;
    const { collection, item } = operations(type);
    const v2 = (ops: Record<string, unknown>) =>
      JSON.parse(JSON.stringify(ops).replace(/"schema":\{"type":"string","uniqueItems":true\}/g, '"type":"string","uniqueItems":true'));
    paths[basePath(type, type.namespaced)] = v2(collection);
    paths[`${basePath(type, type.namespaced)}/{name}`] = v2(item);
    definitions[schemaName(type)] = {
      type: 'object',
      'x-kubernetes-group-version-kind': [{ group: type.group, version: type.version, kind: type.kind }],
    };
  }
  return { swagger: '2.0', info: KUBERNETES_VERSION_INFO(kubernetesVersion), paths, definitions };
}

// ---- field validation (fieldValidation=Strict|Warn; the API server's strict decoding of known kinds) ----

const COMMON = ['apiVersion', 'kind', 'metadata'];
const TOP_FIELDS: Record<string, string[]> = {
  ConfigMap: ['data', 'binaryData', 'immutable'],
  Secret: ['data', 'stringData', 'type', 'immutable'],
  ServiceAccount: ['secrets', 'imagePullSecrets', 'automountServiceAccountToken'],
  Role: ['rules'],
  ClusterRole: ['rules', 'aggregationRule'],
  RoleBinding: ['roleRef', 'subjects'],
  ClusterRoleBinding: ['roleRef', 'subjects'],
  Event: [
    'involvedObject',
    'reason',
    'message',
    'source',
    'firstTimestamp',
    'lastTimestamp',
    'count',
    'type',
    'eventTime',
    'series',
    'action',
    'related',
    'reportingComponent',
    'reportingInstance',
  ],
};
const SPEC_STATUS_KINDS = new Set([
  'Namespace',
  'Node',
  'Pod',
  'Service',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'PodDisruptionBudget',
  'NetworkPolicy',
  'CustomResourceDefinition',
]);
const OBJECT_META = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
];

/** Unknown fields of a built-in kind's object, as strict decoding names them ("spec.foo" style paths). */
export function unknownFields(type: ResourceType, object: Record<string, unknown>): string[] {
  const known = TOP_FIELDS[type.kind] ?? (SPEC_STATUS_KINDS.has(type.kind) ? ['spec', 'status'] : undefined);
  if (!known) return []; // custom resources: no schema to decode against
  const out: string[] = [];
  for (const field of Object.keys(object)) if (![...COMMON, ...known].includes(field)) out.push(field);
  const meta = object.metadata;
  if (meta && typeof meta === 'object' && !Array.isArray(meta))
    for (const field of Object.keys(meta)) if (!OBJECT_META.includes(field)) out.push(`metadata.${field}`);
  return out;
}
