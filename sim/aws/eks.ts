import { randomUUID } from 'node:crypto';
import { externalIdFor } from '../build-world';
import type { SimAssociation, SimEksCluster, SimRole, SimWorld } from '../world';
import { associationArn, associationIdFor } from './ids';
import { AwsError, type AwsRequest, type AwsResponse, type AwsService } from './protocol';
import { trustsPodIdentity } from './trust-policy';
import {
  accessEntryOf,
  associateAccessPolicy,
  createAccessEntry,
  describeAccessEntry,
  describeAssociatedPolicy,
  disassociateAccessPolicy,
} from './eks-access-entries';
import { notAuthorizedMessage, type AuthorizationRequest } from './authorize';
import { denialClause } from './policy-evaluator';

// EKS control plane, REST-JSON (EKS API reference). Timestamps are epoch seconds; errors carry the
// x-amzn-ErrorType header and a {"message"} body, which the SDK maps to its typed exceptions.

const epoch = (iso: string) => new Date(iso).getTime() / 1000;

function json(status: number, body: unknown): AwsResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function invalidParameter(message: string, fields: Record<string, unknown> = {}): AwsError {
  return new AwsError(400, 'InvalidParameterException', message, fields);
}

function parseBody(req: AwsRequest): Record<string, unknown> {
  if (req.body.length === 0) return {};
  try {
    const parsed = JSON.parse(req.body.toString('utf8')) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch {
    throw new AwsError(400, 'BadRequestException', 'The request body is not valid JSON.');
  }
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParameter(`${key} must be a string.`);
  return value;
}

function requiredString(body: Record<string, unknown>, key: string): string {
  const value = optionalString(body, key);
  if (!value) throw invalidParameter(`${key} is a required parameter.`);
  return value;
}

/** maxResults 1-100 (EKS API reference), nextToken opaque. */
function pageParams(req: AwsRequest): { maxResults: number; nextToken?: string } {
  const raw = req.query.get('maxResults');
  let maxResults = 100;
  if (raw !== null) {
    maxResults = Number(raw);
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 100)
      throw invalidParameter('maxResults must be an integer between 1 and 100.');
  }
  return { maxResults, nextToken: req.query.get('nextToken') ?? undefined };
}

function encodeToken(after: string): string {
  return Buffer.from(JSON.stringify({ after })).toString('base64url');
}

function decodeToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after !== 'string') throw new Error('no position');
    return parsed.after;
  } catch {
    throw invalidParameter('The nextToken provided is invalid.');
  }
}

/** Keyset pagination over names sorted ascending: stable when items are added or deleted between pages. */
function paginate<T>(items: T[], key: (item: T) => string, maxResults: number, nextToken?: string): { page: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken) {
    const after = decodeToken(nextToken);
    // binary search for the first key greater than `after`
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (key(items[mid]) <= after) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const page = items.slice(start, start + maxResults);
  const more = start + maxResults < items.length;
  return { page, nextToken: more && page.length > 0 ? encodeToken(key(page[page.length - 1])) : undefined };
}

function describeAssociation(a: SimAssociation): Record<string, unknown> {
  return {
    clusterName: a.clusterName,
    namespace: a.namespace,
    serviceAccount: a.serviceAccount,
    roleArn: a.roleArn,
    associationArn: a.associationArn,
    associationId: a.associationId,
    tags: a.tags,
    createdAt: epoch(a.createdAt),
    modifiedAt: epoch(a.modifiedAt),
    ...(a.ownerArn ? { ownerArn: a.ownerArn } : {}),
    disableSessionTags: a.disableSessionTags,
    ...(a.policy !== undefined ? { policy: a.policy } : {}),
    ...(a.targetRoleArn ? { targetRoleArn: a.targetRoleArn, externalId: a.externalId } : {}),
  };
}

/** Summaries carry no roleArn (EKS API reference, PodIdentityAssociationSummary). */
function summarizeAssociation(a: SimAssociation): Record<string, unknown> {
  return {
    clusterName: a.clusterName,
    namespace: a.namespace,
    serviceAccount: a.serviceAccount,
    associationArn: a.associationArn,
    associationId: a.associationId,
    ...(a.ownerArn ? { ownerArn: a.ownerArn } : {}),
  };
}

function findRole(world: SimWorld, arn: string): SimRole | undefined {
  const match = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (!match) return undefined;
  const role = world.accounts.get(match[1])?.roles.get(match[2]);
  return role && role.arn === arn ? role : undefined;
}

const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\/.+$/;

function checkRole(world: SimWorld, roleArn: string): void {
  if (!ROLE_ARN.test(roleArn)) throw invalidParameter(`Invalid role ARN: ${roleArn}`);
  const role = findRole(world, roleArn);
  // Messages as EKS returns them (terraform-provider-aws#34717, #41483).
  if (!role) throw invalidParameter('Role provided in the request does not exist');
  if (!trustsPodIdentity(role.trustPolicy)) throw invalidParameter('Trust policy of the role provided is invalid');
}

function checkTargetRole(targetRoleArn: string | undefined): void {
  if (targetRoleArn !== undefined && !ROLE_ARN.test(targetRoleArn)) throw invalidParameter(`Invalid target role ARN: ${targetRoleArn}`);
}

/**
 * The association's session policy: a JSON policy document sent as a string (EKS API reference,
 * CreatePodIdentityAssociation `policy`); undefined when absent, '' when an update clears it.
 */
function policyOf(body: Record<string, unknown>): string | undefined {
  const value = body.policy;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParameter('policy must be a string containing a JSON policy document.');
  if (value === '') return '';
  // Session policies are limited to 2,048 characters (STS AssumeRole Policy parameter).
  if (value.length > 2048) throw invalidParameter('policy must be at most 2048 characters.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw invalidParameter('The policy provided is not a valid JSON policy document.');
  }
  const statements = (parsed as { Statement?: unknown } | null)?.Statement;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || !statements || typeof statements !== 'object')
    throw invalidParameter('The policy provided is not a valid JSON policy document.');
  return value;
}

function checkPolicy(policy: string | undefined, disableSessionTags: boolean): void {
  // A session policy needs session tags off: together they can exceed the packed size limit (EKS, Feb 2026;
  // domain.md §1a; terraform-provider-aws#48868).
  if (policy && !disableSessionTags) throw invalidParameter('disableSessionTags must be set to true when a policy is provided.');
}

function tagsOf(body: Record<string, unknown>): Record<string, string> {
  const tags = body.tags;
  if (tags === undefined || tags === null) return {};
  if (typeof tags !== 'object' || Array.isArray(tags)) throw invalidParameter('tags must be a map of strings.');
  for (const [k, v] of Object.entries(tags)) if (typeof v !== 'string') throw invalidParameter(`tag ${k} must be a string.`);
  return tags as Record<string, string>;
}

export function createEksService(): AwsService {
  // Sorted views per cluster, rebuilt only after a change, so a page costs O(log n + page).
  const sortedCache = new WeakMap<SimEksCluster, { size: number; version: number; items: SimAssociation[] }>();
  const versions = new WeakMap<SimEksCluster, number>();
  const idempotency = new Map<string, string>(); // cluster/clientRequestToken -> associationId
  const bump = (cluster: SimEksCluster) => versions.set(cluster, (versions.get(cluster) ?? 0) + 1);

  function sortedAssociations(cluster: SimEksCluster): SimAssociation[] {
    const version = versions.get(cluster) ?? 0;
    const cached = sortedCache.get(cluster);
    // size catches changes made directly on the world (e.g. by tests) without going through this API
    if (cached && cached.version === version && cached.size === cluster.associations.size) return cached.items;
    const items = [...cluster.associations.values()].sort((a, b) => (a.associationId < b.associationId ? -1 : 1));
    sortedCache.set(cluster, { size: cluster.associations.size, version, items });
    return items;
  }

  function clusterOf(req: AwsRequest): SimEksCluster {
    const name = req.segments[1];
    const cluster = req.world.eksClusters.get(name);
    if (!cluster || cluster.account !== req.caller.account || cluster.region !== req.region)
      throw new AwsError(404, 'ResourceNotFoundException', `No cluster found for name: ${name}.`, { clusterName: name });
    return cluster;
  }

  function associationOf(cluster: SimEksCluster, id: string): SimAssociation {
    const association = cluster.associations.get(id);
    if (!association)
      throw new AwsError(404, 'ResourceNotFoundException', `No association found for id: ${id}.`, {
        clusterName: cluster.name,
        associationId: id,
      });
    return association;
  }

  /** Add-on owned associations are managed through the add-on (domain.md §1a, ownerArn). */
  function refuseOwned(association: SimAssociation, verb: string): void {
    if (association.ownerArn)
      throw new AwsError(
        400,
        'InvalidRequestException',
        `Cannot ${verb} association ${association.associationId}: it is owned by ${association.ownerArn}; manage it through the add-on.`,
        { clusterName: association.clusterName, associationId: association.associationId },
      );
  }

  function operation(req: AwsRequest): string {
    const [root, , sub, id] = req.segments;
    const m = req.method;
    if (root !== 'clusters') return 'Unknown';
    if (req.segments.length === 1) return m === 'GET' ? 'ListClusters' : 'Unknown';
    if (req.segments.length === 2) return m === 'GET' ? 'DescribeCluster' : 'Unknown';
    if (sub === 'addons') return id === undefined ? 'ListAddons' : 'DescribeAddon';
    if (sub === 'access-entries') {
      const policies = req.segments[4];
      if (policies === 'access-policies') {
        if (req.segments.length === 5)
          return m === 'POST' ? 'AssociateAccessPolicy' : m === 'GET' ? 'ListAssociatedAccessPolicies' : 'Unknown';
        return m === 'DELETE' && req.segments.length === 6 ? 'DisassociateAccessPolicy' : 'Unknown';
      }
      if (id === undefined) return m === 'POST' ? 'CreateAccessEntry' : m === 'GET' ? 'ListAccessEntries' : 'Unknown';
      if (req.segments.length > 4) return 'Unknown';
      if (m === 'GET') return 'DescribeAccessEntry';
      if (m === 'DELETE') return 'DeleteAccessEntry';
      return 'Unknown';
    }
    if (sub === 'pod-identity-associations') {
      if (id === undefined) return m === 'POST' ? 'CreatePodIdentityAssociation' : 'ListPodIdentityAssociations';
      if (m === 'GET') return 'DescribePodIdentityAssociation';
      if (m === 'POST') return 'UpdatePodIdentityAssociation';
      if (m === 'DELETE') return 'DeletePodIdentityAssociation';
    }
    return 'Unknown';
  }

  function handle(req: AwsRequest): AwsResponse {
    const op = operation(req);
    const { world } = req;
    switch (op) {
      case 'ListClusters': {
        const { maxResults, nextToken } = pageParams(req);
        const names = [...world.eksClusters.values()]
          .filter((c) => c.account === req.caller.account && c.region === req.region)
          .map((c) => c.name)
          .sort();
        const page = paginate(names, (n) => n, maxResults, nextToken);
        return json(200, { clusters: page.page, ...(page.nextToken ? { nextToken: page.nextToken } : {}) });
      }
      case 'DescribeCluster': {
        const c = clusterOf(req);
        return json(200, {
          cluster: {
            name: c.name,
            arn: c.arn,
            createdAt: epoch(c.createdAt),
            version: c.version,
            // The simulator's own API server for this cluster once it listens (a real endpoint is
            // https://<id>.gr7.<region>.eks.amazonaws.com), with the CA that signs its certificate.
            endpoint: world.endpoints
              ? `${world.endpoints.kube}/clusters/${encodeURIComponent(c.name)}`
              : `https://${c.oidcIssuer.split('/').pop()}.gr7.${c.region}.eks.amazonaws.com`,
            ...(world.endpoints ? { certificateAuthority: { data: world.endpoints.certificateAuthorityData } } : {}),
            roleArn: `arn:aws:iam::${c.account}:role/eks-cluster-role`,
            identity: { oidc: { issuer: c.oidcIssuer } },
            status: 'ACTIVE',
            platformVersion: c.platformVersion,
            tags: {},
            accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' },
            kubernetesNetworkConfig: {
              serviceIpv4Cidr: '10.100.0.0/16',
              ipFamily: 'ipv4',
              ...(c.autoMode ? { elasticLoadBalancing: { enabled: true } } : {}),
            },
            // EKS Auto Mode (EKS API reference, ComputeConfigResponse): the built-in node pools and their role.
            ...(c.autoMode
              ? {
                  computeConfig: {
                    enabled: true,
                    nodePools: ['general-purpose', 'system'],
                    nodeRoleArn: `arn:aws:iam::${c.account}:role/AmazonEKSAutoNodeRole`,
                  },
                  storageConfig: { blockStorage: { enabled: true } },
                }
              : {}),
          },
        });
      }
      case 'ListAddons': {
        const c = clusterOf(req);
        const { maxResults, nextToken } = pageParams(req);
        const page = paginate([...c.addons.keys()].sort(), (n) => n, maxResults, nextToken);
        return json(200, { addons: page.page, ...(page.nextToken ? { nextToken: page.nextToken } : {}) });
      }
      case 'DescribeAddon': {
        const c = clusterOf(req);
        const name = req.segments[3];
        const addon = c.addons.get(name);
        if (!addon)
          throw new AwsError(404, 'ResourceNotFoundException', `No addon: ${name} found in cluster: ${c.name}`, {
            clusterName: c.name,
            addonName: name,
          });
        return json(200, {
          addon: {
            addonName: addon.name,
            clusterName: c.name,
            status: addon.status,
            addonVersion: addon.version,
            addonArn: `arn:aws:eks:${c.region}:${c.account}:addon/${c.name}/${addon.name}/${addon.version}`,
            createdAt: epoch(addon.createdAt),
            modifiedAt: epoch(addon.createdAt),
            health: { issues: [] },
            tags: {},
            podIdentityAssociations: [...c.associations.values()]
              .filter((a) => a.ownerArn?.includes(`:addon/${c.name}/${addon.name}/`))
              .map((a) => a.associationArn),
          },
        });
      }
      case 'ListPodIdentityAssociations': {
        const c = clusterOf(req);
        const { maxResults, nextToken } = pageParams(req);
        const namespace = req.query.get('namespace') ?? undefined;
        const serviceAccount = req.query.get('serviceAccount') ?? undefined;
        let items = sortedAssociations(c);
        if (namespace !== undefined || serviceAccount !== undefined)
          items = items.filter(
            (a) =>
              (namespace === undefined || a.namespace === namespace) &&
              (serviceAccount === undefined || a.serviceAccount === serviceAccount),
          );
        const page = paginate(items, (a) => a.associationId, maxResults, nextToken);
        return json(200, { associations: page.page.map(summarizeAssociation), ...(page.nextToken ? { nextToken: page.nextToken } : {}) });
      }
      case 'DescribePodIdentityAssociation': {
        const c = clusterOf(req);
        return json(200, { association: describeAssociation(associationOf(c, req.segments[3])) });
      }
      case 'CreatePodIdentityAssociation': {
        const c = clusterOf(req);
        const body = parseBody(req);
        const namespace = requiredString(body, 'namespace');
        const serviceAccount = requiredString(body, 'serviceAccount');
        const roleArn = requiredString(body, 'roleArn');
        const clientRequestToken = optionalString(body, 'clientRequestToken');
        if (clientRequestToken) {
          const previous = idempotency.get(`${c.name}/${clientRequestToken}`);
          const existing = previous ? c.associations.get(previous) : undefined;
          if (existing) return json(200, { association: describeAssociation(existing) });
        }
        const targetRoleArn = optionalString(body, 'targetRoleArn');
        const disableSessionTags = body.disableSessionTags === true;
        const tags = tagsOf(body);
        const policy = policyOf(body) || undefined;
        checkRole(world, roleArn);
        // Associating a role passes it to EKS: the caller needs iam:PassRole on it (AUG pod-id-association).
        req.authorize({ action: 'iam:PassRole', resource: roleArn, context: { 'iam:PassedToService': 'pods.eks.amazonaws.com' } });
        checkTargetRole(targetRoleArn);
        checkPolicy(policy, disableSessionTags);
        for (const a of c.associations.values()) {
          if (a.namespace === namespace && a.serviceAccount === serviceAccount)
            throw new AwsError(409, 'ResourceInUseException', `Association already exists: ${a.associationId}`, { clusterName: c.name });
        }
        if (c.associations.size >= c.associationLimit)
          throw new AwsError(
            400,
            'ResourceLimitExceededException',
            `Cluster ${c.name} already has the maximum number of Pod Identity associations (${c.associationLimit}).`,
            { clusterName: c.name },
          );
        let associationId = associationIdFor(`${c.name}/${namespace}/${serviceAccount}`);
        // A re-created association gets a fresh id, as in EKS.
        while (c.associations.has(associationId) || wasUsed(c, associationId)) associationId = associationIdFor(randomUUID());
        markUsed(c, associationId);
        const now = world.clock.nowIso();
        const association: SimAssociation = {
          associationId,
          associationArn: associationArn(c.region, c.account, c.name, associationId),
          clusterName: c.name,
          namespace,
          serviceAccount,
          roleArn,
          targetRoleArn,
          externalId: targetRoleArn ? externalIdFor(associationId) : undefined,
          disableSessionTags,
          policy,
          tags,
          createdAt: now,
          modifiedAt: now,
        };
        c.associations.set(associationId, association);
        bump(c);
        if (clientRequestToken) idempotency.set(`${c.name}/${clientRequestToken}`, associationId);
        world.emit({ type: 'association-changed', cluster: c.name, associationId, change: 'created' });
        return json(200, { association: describeAssociation(association) });
      }
      case 'UpdatePodIdentityAssociation': {
        const c = clusterOf(req);
        const association = associationOf(c, req.segments[3]);
        refuseOwned(association, 'update');
        const body = parseBody(req);
        for (const immutable of ['namespace', 'serviceAccount']) {
          if (body[immutable] !== undefined)
            throw invalidParameter(`${immutable} cannot be updated; delete and re-create the association.`);
        }
        const roleArn = optionalString(body, 'roleArn');
        const targetRoleArn = body.targetRoleArn === '' ? '' : optionalString(body, 'targetRoleArn');
        const disableSessionTags = typeof body.disableSessionTags === 'boolean' ? body.disableSessionTags : association.disableSessionTags;
        const policyChange = policyOf(body);
        const policy = policyChange === undefined ? association.policy : policyChange || undefined;
        if (roleArn !== undefined) {
          checkRole(world, roleArn);
          req.authorize({ action: 'iam:PassRole', resource: roleArn, context: { 'iam:PassedToService': 'pods.eks.amazonaws.com' } });
        }
        if (targetRoleArn) checkTargetRole(targetRoleArn);
        checkPolicy(policy, disableSessionTags);
        if (roleArn !== undefined) association.roleArn = roleArn;
        // An empty targetRoleArn removes the chained role (EKS API reference, UpdatePodIdentityAssociation).
        if (targetRoleArn === '') {
          association.targetRoleArn = undefined;
          association.externalId = undefined;
        } else if (targetRoleArn !== undefined) {
          association.targetRoleArn = targetRoleArn;
          association.externalId ??= externalIdFor(association.associationId);
        }
        association.disableSessionTags = disableSessionTags;
        association.policy = policy;
        association.modifiedAt = world.clock.nowIso();
        world.emit({ type: 'association-changed', cluster: c.name, associationId: association.associationId, change: 'updated' });
        return json(200, { association: describeAssociation(association) });
      }
      case 'DeletePodIdentityAssociation': {
        const c = clusterOf(req);
        const association = associationOf(c, req.segments[3]);
        refuseOwned(association, 'delete');
        c.associations.delete(association.associationId);
        markUsed(c, association.associationId);
        bump(c);
        world.emit({ type: 'association-changed', cluster: c.name, associationId: association.associationId, change: 'deleted' });
        return json(200, { association: describeAssociation(association) });
      }
      case 'ListAccessEntries': {
        const c = clusterOf(req);
        const { maxResults, nextToken } = pageParams(req);
        const page = paginate([...c.accessEntries.keys()].sort(), (arn) => arn, maxResults, nextToken);
        return json(200, { accessEntries: page.page, ...(page.nextToken ? { nextToken: page.nextToken } : {}) });
      }
      case 'DescribeAccessEntry': {
        const c = clusterOf(req);
        return json(200, { accessEntry: describeAccessEntry(c, accessEntryOf(c, req.segments[3])) });
      }
      case 'CreateAccessEntry': {
        const c = clusterOf(req);
        return json(200, { accessEntry: describeAccessEntry(c, createAccessEntry(world, c, parseBody(req))) });
      }
      case 'DeleteAccessEntry': {
        const c = clusterOf(req);
        const entry = accessEntryOf(c, req.segments[3]);
        c.accessEntries.delete(entry.principalArn);
        return json(200, {});
      }
      case 'ListAssociatedAccessPolicies': {
        const c = clusterOf(req);
        const entry = accessEntryOf(c, req.segments[3]);
        const { maxResults, nextToken } = pageParams(req);
        const page = paginate(
          [...entry.accessPolicies.values()].sort((a, b) => (a.policyArn < b.policyArn ? -1 : 1)),
          (p) => p.policyArn,
          maxResults,
          nextToken,
        );
        return json(200, {
          clusterName: c.name,
          principalArn: entry.principalArn,
          associatedAccessPolicies: page.page.map(describeAssociatedPolicy),
          ...(page.nextToken ? { nextToken: page.nextToken } : {}),
        });
      }
      case 'AssociateAccessPolicy': {
        const c = clusterOf(req);
        const entry = accessEntryOf(c, req.segments[3]);
        const association = associateAccessPolicy(world, entry, parseBody(req));
        return json(200, {
          clusterName: c.name,
          principalArn: entry.principalArn,
          associatedAccessPolicy: describeAssociatedPolicy(association),
        });
      }
      case 'DisassociateAccessPolicy': {
        const c = clusterOf(req);
        disassociateAccessPolicy(accessEntryOf(c, req.segments[3]), req.segments[5]);
        return json(200, {});
      }
      default:
        throw new AwsError(404, 'UnknownOperationException', `The simulator does not serve ${req.method} ${req.rawPath} on EKS.`);
    }
  }

  const usedIds = new WeakMap<SimEksCluster, Set<string>>();
  function wasUsed(c: SimEksCluster, id: string): boolean {
    return usedIds.get(c)?.has(id) ?? false;
  }
  function markUsed(c: SimEksCluster, id: string): void {
    let set = usedIds.get(c);
    if (!set) usedIds.set(c, (set = new Set()));
    set.add(id);
  }

  /** The EKS action and resource of each operation (Service Authorization Reference, Amazon EKS). */
  function authorization(req: AwsRequest): AuthorizationRequest | null {
    const op = operation(req);
    if (op === 'Unknown') return null;
    const action = `eks:${op}`;
    if (op === 'ListClusters') return { action, resource: '*' };
    const [, name, , id] = req.segments;
    const base = `arn:aws:eks:${req.region}:${req.caller.account}`;
    const clusterArn = `${base}:cluster/${name}`;
    if (op === 'DescribeAddon') {
      const addon = req.world.eksClusters.get(name)?.addons.get(id);
      return { action, resource: `${base}:addon/${name}/${id}/${addon?.version ?? '*'}` };
    }
    if (op === 'DescribePodIdentityAssociation' || op === 'UpdatePodIdentityAssociation' || op === 'DeletePodIdentityAssociation')
      return { action, resource: associationArn(req.region, req.caller.account, name, id) };
    return { action, resource: clusterArn };
  }

  return {
    name: 'eks',
    operation,
    authorization,
    accessDenied: (caller, auth, decision) =>
      new AwsError(403, 'AccessDeniedException', notAuthorizedMessage(caller.arn, auth, denialClause(decision.reason!, auth.action))),
    cluster: (req) => (req.segments[0] === 'clusters' ? req.segments[1] : undefined),
    handle,
    errorResponse(error) {
      return {
        status: error.status,
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': error.code },
        body: JSON.stringify({ message: error.message, ...error.fields }),
      };
    },
    // The EKS model's ThrottlingException: HTTP 429, members message and clusterName (botocore eks service-2.json).
    throttlingError(req) {
      const clusterName = req.segments[0] === 'clusters' ? req.segments[1] : undefined;
      return new AwsError(429, 'ThrottlingException', 'Rate exceeded', clusterName ? { clusterName } : {});
    },
    authErrors: {
      missing: new AwsError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token'),
      unknownKey: new AwsError(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.'),
      badSignature: new AwsError(
        403,
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      ),
      expiredToken: new AwsError(403, 'ExpiredTokenException', 'The security token included in the request is expired'),
    },
  };
}
