import { randomBytes } from 'node:crypto';
import { associationIdFor } from '../build-world';
import type { SimAssociation, SimEksCluster, SimWorld } from '../world';
import { AwsError, epochSeconds, jsonResponse, type AwsRequest, type AwsResponse } from './protocol';
import { trustAllows } from './trust';

// EKS, REST-JSON (docs.aws.amazon.com/eks/latest/APIReference). A cluster is visible only to callers in its
// own account and region, as in AWS.

const MAX_ASSOCIATIONS_PER_CLUSTER = 1000; // AUG service-quotas: not adjustable

interface Route {
  method: string;
  pattern: RegExp;
  operation: string;
}

const ROUTES: Route[] = [
  { method: 'GET', pattern: /^\/clusters$/, operation: 'ListClusters' },
  { method: 'GET', pattern: /^\/clusters\/([^/]+)$/, operation: 'DescribeCluster' },
  { method: 'GET', pattern: /^\/clusters\/([^/]+)\/addons$/, operation: 'ListAddons' },
  { method: 'GET', pattern: /^\/clusters\/([^/]+)\/addons\/([^/]+)$/, operation: 'DescribeAddon' },
  { method: 'GET', pattern: /^\/clusters\/([^/]+)\/pod-identity-associations$/, operation: 'ListPodIdentityAssociations' },
  { method: 'POST', pattern: /^\/clusters\/([^/]+)\/pod-identity-associations$/, operation: 'CreatePodIdentityAssociation' },
  { method: 'GET', pattern: /^\/clusters\/([^/]+)\/pod-identity-associations\/([^/]+)$/, operation: 'DescribePodIdentityAssociation' },
  { method: 'POST', pattern: /^\/clusters\/([^/]+)\/pod-identity-associations\/([^/]+)$/, operation: 'UpdatePodIdentityAssociation' },
  { method: 'DELETE', pattern: /^\/clusters\/([^/]+)\/pod-identity-associations\/([^/]+)$/, operation: 'DeletePodIdentityAssociation' },
];

export function eksOperation(method: string, path: string): { operation: string; params: string[] } | null {
  for (const route of ROUTES) {
    const match = route.method === method ? route.pattern.exec(path) : null;
    if (match) return { operation: route.operation, params: match.slice(1).map(decodeURIComponent) };
  }
  return null;
}

/** Pagination tokens are opaque to clients; ours are base64 offsets. */
function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64');
}

function decodeToken(token: string | null): number {
  if (!token) return 0;
  try {
    const offset = JSON.parse(Buffer.from(token, 'base64').toString('utf8')).offset;
    if (Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through
  }
  throw new AwsError(400, 'InvalidParameterException', 'The nextToken provided is invalid.');
}

function maxResults(query: URLSearchParams, limit: number): number {
  const raw = query.get('maxResults');
  if (raw === null) return limit;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > limit) {
    throw new AwsError(400, 'InvalidParameterException', `1 validation error detected: Value '${raw}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and ${limit}`);
  }
  return n;
}

function page<T>(items: T[], query: URLSearchParams, limit: number): { items: T[]; nextToken?: string } {
  const size = maxResults(query, limit);
  const offset = decodeToken(query.get('nextToken'));
  const slice = items.slice(offset, offset + size);
  return { items: slice, nextToken: offset + size < items.length ? encodeToken(offset + size) : undefined };
}

function findCluster(world: SimWorld, req: AwsRequest, name: string): SimEksCluster {
  const cluster = world.eksClusters.get(name);
  if (!cluster || cluster.account !== req.caller.account || cluster.region !== req.region) {
    throw new AwsError(404, 'ResourceNotFoundException', `No cluster found for name: ${name}.`, { clusterName: name });
  }
  return cluster;
}

function associationBody(a: SimAssociation) {
  return {
    clusterName: a.clusterName,
    namespace: a.namespace,
    serviceAccount: a.serviceAccount,
    roleArn: a.roleArn,
    associationArn: a.associationArn,
    associationId: a.associationId,
    tags: a.tags,
    createdAt: epochSeconds(a.createdAt),
    modifiedAt: epochSeconds(a.modifiedAt),
    ...(a.ownerArn ? { ownerArn: a.ownerArn } : {}),
    ...(a.targetRoleArn ? { targetRoleArn: a.targetRoleArn, externalId: a.externalId } : {}),
    disableSessionTags: a.disableSessionTags,
  };
}

function summaryBody(a: SimAssociation) {
  return {
    clusterName: a.clusterName,
    namespace: a.namespace,
    serviceAccount: a.serviceAccount,
    associationArn: a.associationArn,
    associationId: a.associationId,
    ...(a.ownerArn ? { ownerArn: a.ownerArn } : {}),
  };
}

function parseBody(req: AwsRequest): Record<string, unknown> {
  if (req.body.length === 0) return {};
  try {
    const parsed = JSON.parse(req.body.toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
  } catch {
    // fall through
  }
  throw new AwsError(400, 'InvalidRequestException', 'The request body is not valid JSON.');
}

const ROLE_ARN = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]{1,64})$/;

/** EKS checks the role when an association is created or updated (domain.md §1a). */
function validateRole(world: SimWorld, cluster: SimEksCluster, roleArn: unknown, field: string): string {
  if (typeof roleArn !== 'string' || !ROLE_ARN.test(roleArn)) {
    throw new AwsError(400, 'InvalidParameterException', `${field} provided is not a valid IAM role ARN: ${String(roleArn)}`);
  }
  const [, account, name] = ROLE_ARN.exec(roleArn)!;
  const role = world.accounts.get(account)?.roles.get(name);
  if (field === 'roleArn' && account !== cluster.account) {
    throw new AwsError(400, 'InvalidParameterException', 'The role must be in the same account as the cluster.');
  }
  if (!role || role.arn !== roleArn) throw new AwsError(400, 'InvalidParameterException', `Role provided does not exist: ${roleArn}`);
  if (field === 'roleArn' && !trustAllows(role.trustPolicy, { kind: 'Service', candidates: ['pods.eks.amazonaws.com'] }, ['sts:AssumeRole', 'sts:TagSession'])) {
    throw new AwsError(400, 'InvalidParameterException', 'Trust policy of the role provided is invalid');
  }
  return roleArn;
}

function validateSessionOptions(body: Record<string, unknown>, current?: SimAssociation) {
  if (body.disableSessionTags !== undefined && typeof body.disableSessionTags !== 'boolean') {
    throw new AwsError(400, 'InvalidParameterException', 'disableSessionTags must be a boolean.');
  }
  const disableSessionTags = (body.disableSessionTags as boolean | undefined) ?? current?.disableSessionTags ?? false;
  if (body.policy !== undefined && !disableSessionTags) {
    throw new AwsError(400, 'InvalidParameterException', 'A session policy requires disableSessionTags to be true.');
  }
  return disableSessionTags;
}

const idempotency = new WeakMap<SimEksCluster, Map<string, { body: string; associationId: string }>>();

export function handleEks(world: SimWorld, req: AwsRequest, operation: string, params: string[]): AwsResponse {
  const now = world.clock.now().toISOString();
  if (operation === 'ListClusters') {
    const names = [...world.eksClusters.values()].filter((c) => c.account === req.caller.account && c.region === req.region).map((c) => c.name);
    const result = page(names, req.query, 100);
    return jsonResponse({ clusters: result.items, nextToken: result.nextToken });
  }
  const cluster = findCluster(world, req, params[0]);
  switch (operation) {
    case 'DescribeCluster':
      return jsonResponse({
        cluster: {
          name: cluster.name,
          arn: cluster.arn,
          createdAt: epochSeconds(cluster.createdAt),
          version: cluster.version,
          endpoint: `https://${cluster.arn.split(':')[5].slice(8, 16).toUpperCase()}.gr7.${cluster.region}.eks.amazonaws.com`,
          roleArn: `arn:aws:iam::${cluster.account}:role/${cluster.name}-cluster-role`,
          identity: { oidc: { issuer: cluster.oidcIssuer } },
          status: 'ACTIVE',
          platformVersion: cluster.platformVersion,
          tags: {},
          accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' },
        },
      });
    case 'ListAddons': {
      const result = page([...cluster.addons.keys()], req.query, 100);
      return jsonResponse({ addons: result.items, nextToken: result.nextToken });
    }
    case 'DescribeAddon': {
      const addon = cluster.addons.get(params[1]);
      if (!addon) throw new AwsError(404, 'ResourceNotFoundException', `No addon: ${params[1]} found in cluster: ${cluster.name}`, { clusterName: cluster.name, addonName: params[1] });
      return jsonResponse({
        addon: {
          addonName: addon.name,
          clusterName: cluster.name,
          status: addon.status,
          addonVersion: addon.version,
          addonArn: `arn:aws:eks:${cluster.region}:${cluster.account}:addon/${cluster.name}/${addon.name}/${addon.name.length}`,
          createdAt: epochSeconds(addon.createdAt),
          modifiedAt: epochSeconds(addon.createdAt),
          health: { issues: [] },
          tags: {},
        },
      });
    }
    case 'ListPodIdentityAssociations': {
      const namespace = req.query.get('namespace');
      const serviceAccount = req.query.get('serviceAccount');
      const matching = [...cluster.associations.values()].filter(
        (a) => (!namespace || a.namespace === namespace) && (!serviceAccount || a.serviceAccount === serviceAccount),
      );
      const result = page(matching, req.query, 100);
      return jsonResponse({ associations: result.items.map(summaryBody), nextToken: result.nextToken });
    }
    case 'DescribePodIdentityAssociation': {
      const association = cluster.associations.get(params[1]);
      if (!association) throw new AwsError(404, 'ResourceNotFoundException', `No Pod Identity Association found with id ${params[1]}`);
      return jsonResponse({ association: associationBody(association) });
    }
    case 'CreatePodIdentityAssociation': {
      const body = parseBody(req);
      for (const field of ['namespace', 'serviceAccount', 'roleArn']) {
        if (typeof body[field] !== 'string' || !(body[field] as string).length) {
          throw new AwsError(400, 'InvalidParameterException', `${field} is required.`);
        }
      }
      const token = typeof body.clientRequestToken === 'string' ? body.clientRequestToken : undefined;
      const tokens = idempotency.get(cluster) ?? new Map();
      idempotency.set(cluster, tokens);
      const fingerprint = JSON.stringify({ ...body, clientRequestToken: undefined });
      if (token && tokens.has(token)) {
        const previous = tokens.get(token)!;
        if (previous.body !== fingerprint) throw new AwsError(400, 'InvalidRequestException', 'The client request token was already used with different parameters.');
        const existing = cluster.associations.get(previous.associationId);
        if (existing) return jsonResponse({ association: associationBody(existing) });
      }
      const namespace = body.namespace as string;
      const serviceAccount = body.serviceAccount as string;
      const duplicate = [...cluster.associations.values()].find((a) => a.namespace === namespace && a.serviceAccount === serviceAccount);
      if (duplicate) throw new AwsError(409, 'ResourceInUseException', `Association already exists: ${duplicate.associationId}`);
      if (cluster.associations.size >= MAX_ASSOCIATIONS_PER_CLUSTER) {
        throw new AwsError(400, 'ResourceLimitExceededException', `Cluster ${cluster.name} already has ${MAX_ASSOCIATIONS_PER_CLUSTER} Pod Identity associations, the maximum allowed.`);
      }
      const roleArn = validateRole(world, cluster, body.roleArn, 'roleArn');
      const targetRoleArn = body.targetRoleArn ? validateRole(world, cluster, body.targetRoleArn, 'targetRoleArn') : undefined;
      const disableSessionTags = validateSessionOptions(body);
      let associationId = associationIdFor(cluster.name, namespace, serviceAccount);
      for (let salt = 1; cluster.associations.has(associationId); salt++) associationId = associationIdFor(cluster.name, namespace, serviceAccount, String(salt));
      const association: SimAssociation = {
        associationId,
        associationArn: `arn:aws:eks:${cluster.region}:${cluster.account}:podidentityassociation/${cluster.name}/${associationId}`,
        clusterName: cluster.name,
        namespace,
        serviceAccount,
        roleArn,
        targetRoleArn,
        externalId: targetRoleArn ? randomBytes(18).toString('hex') : undefined,
        disableSessionTags,
        tags: (body.tags as Record<string, string>) ?? {},
        createdAt: now,
        modifiedAt: now,
      };
      cluster.associations.set(associationId, association);
      if (token) tokens.set(token, { body: fingerprint, associationId });
      world.emit({ type: 'association-changed', cluster: cluster.name, associationId, change: 'created' });
      return jsonResponse({ association: associationBody(association) });
    }
    case 'UpdatePodIdentityAssociation': {
      const association = cluster.associations.get(params[1]);
      if (!association) throw new AwsError(404, 'ResourceNotFoundException', `No Pod Identity Association found with id ${params[1]}`);
      const body = parseBody(req);
      if (association.ownerArn) {
        throw new AwsError(400, 'InvalidRequestException', `Association ${association.associationId} is owned by ${association.ownerArn}; update it through that add-on.`);
      }
      const roleArn = body.roleArn !== undefined ? validateRole(world, cluster, body.roleArn, 'roleArn') : association.roleArn;
      let targetRoleArn = association.targetRoleArn;
      if (body.targetRoleArn === '' || body.targetRoleArn === null) targetRoleArn = undefined;
      else if (body.targetRoleArn !== undefined) targetRoleArn = validateRole(world, cluster, body.targetRoleArn, 'targetRoleArn');
      const disableSessionTags = validateSessionOptions(body, association);
      Object.assign(association, {
        roleArn,
        targetRoleArn,
        externalId: targetRoleArn ? (association.externalId ?? randomBytes(18).toString('hex')) : undefined,
        disableSessionTags,
        modifiedAt: now,
      });
      world.emit({ type: 'association-changed', cluster: cluster.name, associationId: association.associationId, change: 'updated' });
      return jsonResponse({ association: associationBody(association) });
    }
    case 'DeletePodIdentityAssociation': {
      const association = cluster.associations.get(params[1]);
      if (!association) throw new AwsError(404, 'ResourceNotFoundException', `No Pod Identity Association found with id ${params[1]}`);
      cluster.associations.delete(association.associationId);
      world.emit({ type: 'association-changed', cluster: cluster.name, associationId: association.associationId, change: 'deleted' });
      return jsonResponse({ association: associationBody(association) });
    }
  }
  throw new AwsError(404, 'UnknownOperationException', `Unknown operation ${operation}`);
}
