import { SimClock, resolveRelativeTime, resolveRelativeTimesDeep } from './clock';
import { createFaultLayer } from './faults';
import { createAwsTraffic } from './aws-traffic';
import type { LoadedScenario } from './scenario/load';
import type { ScenarioCluster } from './scenario/schema';
import type {
  PolicyDocument,
  SimAccessPolicyAssociation,
  SimAccount,
  SimAddon,
  SimAssociation,
  SimBucket,
  SimEksCluster,
  SimManagedPolicy,
  SimObject,
  SimRole,
  SimUser,
  SimWorld,
  WorldEvent,
} from './world';
import stsRegionalDefaults from './data/sts-regional-defaults.json';
import awsManagedPolicyData from './data/aws-managed-policies.json';
import {
  accessEntryArn,
  associationArn,
  associationIdFor,
  defaultAccessEntryUsername,
  defaultAccessKeyId,
  defaultSecretAccessKey,
  md5Etag,
  oidcIssuerIdFor,
  policyArn,
  policyIdFor,
  roleArn,
  roleIdFor,
  userArn,
  userIdFor,
} from './aws/ids';
import { podIdentityTrustPolicy } from './aws/trust-policy';
import { accessPolicyByArn } from './kube/access-policies';

function minor(version: string): number {
  const [major, min] = version.split('.').map(Number);
  return major * 1000 + min;
}

function platformNumber(platformVersion: string): number {
  return Number(platformVersion.replace(/^eks\./, ''));
}

const STS_ROWS = stsRegionalDefaults.rows;

/** The platform version a new cluster of this Kubernetes version gets when the scenario names none. */
export function defaultPlatformVersion(version: string): string {
  return STS_ROWS.find((r) => r.kubernetesVersion === version)?.platformVersion ?? 'eks.1';
}

/** The cluster's STS endpoint default for SAs without the annotation (domain.md §1c, data/sts-regional-defaults.json). */
export function stsRegionalDefaultFor(version: string, platformVersion: string): boolean {
  const row = STS_ROWS.find((r) => r.kubernetesVersion === version);
  if (row) return row.defaultEndpoint === 'regional' && platformNumber(platformVersion) >= platformNumber(row.platformVersion);
  const newest = Math.max(...STS_ROWS.map((r) => minor(r.kubernetesVersion)));
  return minor(version) > newest;
}

export function emptyAccount(id: string): SimAccount {
  return {
    id,
    accessKeyId: defaultAccessKeyId(id),
    secretAccessKey: defaultSecretAccessKey(id),
    roles: new Map(),
    users: new Map(),
    managedPolicies: new Map(),
    oidcProviders: new Map(),
  };
}

// Pod Identity associations per cluster: 5,000, not adjustable (AUG pod-identities, 2025; domain.md §1a).
export const DEFAULT_ASSOCIATION_LIMIT = 5000;

/** The AWS managed policies of sim/data/aws-managed-policies.json, by ARN (a fresh copy per world). */
export function loadAwsManagedPolicies(): Map<string, SimManagedPolicy> {
  const policies = new Map<string, SimManagedPolicy>();
  for (const p of awsManagedPolicyData.policies) {
    const arn = `arn:aws:iam::aws:policy${p.path}${p.name}`;
    policies.set(arn, {
      name: p.name,
      path: p.path,
      arn,
      policyId: p.policyId,
      account: 'aws',
      description: p.description,
      defaultVersionId: p.defaultVersionId,
      versions: new Map([
        [
          p.defaultVersionId,
          { versionId: p.defaultVersionId, document: structuredClone(p.document) as PolicyDocument, createdAt: p.updateDate },
        ],
      ]),
      createdAt: p.createDate,
      updatedAt: p.updateDate,
    });
  }
  return policies;
}

export function generatedNamespaceName(index: number): string {
  return `gen-${String(index).padStart(4, '0')}`;
}

export function generatedServiceAccountName(index: number): string {
  return `sa-${String(index).padStart(4, '0')}`;
}

export function buildWorld(loaded: LoadedScenario, options: { clock?: SimClock } = {}): SimWorld {
  const { scenario } = loaded;
  const clock = options.clock ?? new SimClock(scenario.now ? new Date(resolveRelativeTime(scenario.now, new Date())) : undefined);
  const now = clock.now();
  const nowIso = clock.nowIso();
  const at = (value: string | undefined) => (value ? resolveRelativeTime(value, now) : nowIso);
  const where = (path: string) => `${loaded.file}: ${path}`;
  const documentOf = (document: unknown) => resolveRelativeTimesDeep(document as PolicyDocument, now);
  const inlineOf = (policies: Record<string, unknown> | undefined) =>
    new Map(Object.entries(policies ?? {}).map(([name, document]) => [name, documentOf(document)]));

  const accounts = new Map<string, SimAccount>();
  const accountFor = (id: string) => {
    let account = accounts.get(id);
    if (!account) {
      account = emptyAccount(id);
      accounts.set(id, account);
    }
    return account;
  };

  scenario.accounts.forEach((spec, accountIndex) => {
    if (accounts.has(spec.id)) throw new Error(where(`accounts[${accountIndex}].id: account ${spec.id} is listed twice`));
    const account = accountFor(spec.id);
    if (spec.accessKeyId) account.accessKeyId = spec.accessKeyId;
    if (spec.secretAccessKey) account.secretAccessKey = spec.secretAccessKey;
    spec.roles.forEach((roleSpec, roleIndex) => {
      if (account.roles.has(roleSpec.name))
        throw new Error(where(`accounts[${accountIndex}].roles[${roleIndex}].name: role ${roleSpec.name} is listed twice`));
      const path = roleSpec.path ?? '/';
      const arn = roleArn(spec.id, path, roleSpec.name);
      const role: SimRole = {
        name: roleSpec.name,
        path,
        arn,
        roleId: roleIdFor(arn),
        account: spec.id,
        trustPolicy: resolveRelativeTimesDeep(roleSpec.trustPolicy as Record<string, unknown>, now),
        tags: roleSpec.tags ?? {},
        createdAt: at(roleSpec.createdAt),
        description: roleSpec.description,
        inlinePolicies: inlineOf(roleSpec.inlinePolicies),
        attachedPolicies: roleSpec.attachedPolicies ?? [],
        permissionsBoundary: roleSpec.permissionsBoundary,
      };
      account.roles.set(role.name, role);
    });
    spec.managedPolicies.forEach((policySpec, policyIndex) => {
      const path = policySpec.path ?? '/';
      const arn = policyArn(spec.id, path, policySpec.name);
      if ([...account.managedPolicies.values()].some((p) => p.name === policySpec.name))
        throw new Error(where(`accounts[${accountIndex}].managedPolicies[${policyIndex}].name: policy ${policySpec.name} is listed twice`));
      const createdAt = at(policySpec.createdAt);
      account.managedPolicies.set(arn, {
        name: policySpec.name,
        path,
        arn,
        policyId: policyIdFor(arn),
        account: spec.id,
        description: policySpec.description,
        defaultVersionId: 'v1',
        versions: new Map([['v1', { versionId: 'v1', document: documentOf(policySpec.document), createdAt }]]),
        createdAt,
        updatedAt: createdAt,
      });
    });
    spec.users.forEach((userSpec, userIndex) => {
      if (account.users.has(userSpec.name))
        throw new Error(where(`accounts[${accountIndex}].users[${userIndex}].name: user ${userSpec.name} is listed twice`));
      const path = userSpec.path ?? '/';
      const arn = userArn(spec.id, path, userSpec.name);
      const user: SimUser = {
        name: userSpec.name,
        path,
        arn,
        userId: userIdFor(arn),
        account: spec.id,
        accessKeyId: userSpec.accessKeyId,
        secretAccessKey: userSpec.secretAccessKey,
        tags: userSpec.tags ?? {},
        createdAt: at(userSpec.createdAt),
        inlinePolicies: inlineOf(userSpec.inlinePolicies),
        attachedPolicies: userSpec.attachedPolicies ?? [],
        permissionsBoundary: userSpec.permissionsBoundary,
      };
      account.users.set(user.name, user);
    });
    for (const provider of spec.oidcProviders) {
      const hostPath = provider.url.replace(/^https:\/\//, '');
      const arn = `arn:aws:iam::${spec.id}:oidc-provider/${hostPath}`;
      account.oidcProviders.set(arn, {
        url: provider.url,
        arn,
        clientIds: provider.clientIds,
        thumbprints: provider.thumbprints ?? ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'],
        createdAt: nowIso,
      });
    }
  });
  const keys = new Map<string, string>();
  for (const account of accounts.values()) {
    for (const [key, owner] of [
      [account.accessKeyId, `account ${account.id}`],
      ...[...account.users.values()].map((u) => [u.accessKeyId, `user ${u.arn}`]),
    ]) {
      const other = keys.get(key);
      if (other) throw new Error(where(`accounts: ${other} and ${owner} share the access key ${key}`));
      keys.set(key, owner);
    }
  }

  // Attachments and boundaries name a policy of the same account or an AWS managed one (IAM refuses others).
  const awsManagedPolicies = loadAwsManagedPolicies();
  scenario.accounts.forEach((spec, accountIndex) => {
    const account = accounts.get(spec.id)!;
    const check = (arn: string, path: string) => {
      if (arn.startsWith('arn:aws:iam::aws:policy/')) {
        if (!awsManagedPolicies.has(arn))
          throw new Error(
            where(
              `${path}: ${arn} is not an AWS managed policy the simulator knows (add it with its real document to sim/data/aws-managed-policies.json)`,
            ),
          );
      } else if (!account.managedPolicies.has(arn)) {
        throw new Error(
          where(
            `${path}: ${arn} is not a managed policy of account ${spec.id} (declare it under accounts[${accountIndex}].managedPolicies)`,
          ),
        );
      }
    };
    const principals = [
      ...spec.roles.map((r, i) => ({ p: r, base: `accounts[${accountIndex}].roles[${i}]` })),
      ...spec.users.map((u, i) => ({ p: u, base: `accounts[${accountIndex}].users[${i}]` })),
    ];
    for (const { p, base } of principals) {
      (p.attachedPolicies ?? []).forEach((arn, i) => check(arn, `${base}.attachedPolicies[${i}]`));
      if (p.permissionsBoundary) check(p.permissionsBoundary, `${base}.permissionsBoundary`);
    }
  });

  const buckets = new Map<string, SimBucket>();
  scenario.buckets.forEach((spec, bucketIndex) => {
    if (buckets.has(spec.name)) throw new Error(where(`buckets[${bucketIndex}].name: bucket ${spec.name} is listed twice`));
    const objects = new Map<string, SimObject>();
    for (const objectSpec of spec.objects) {
      const body =
        objectSpec.json !== undefined
          ? Buffer.from(JSON.stringify(resolveRelativeTimesDeep(objectSpec.json, now), null, 2))
          : Buffer.from(objectSpec.body ?? '');
      objects.set(objectSpec.key, {
        key: objectSpec.key,
        body,
        contentType: objectSpec.contentType ?? (objectSpec.json !== undefined ? 'application/json' : 'application/octet-stream'),
        lastModified: at(objectSpec.lastModified),
        etag: md5Etag(body),
        ...(objectSpec.leaderStuck ? { leaderStuck: true } : {}),
      });
    }
    const owner = spec.owner ?? scenario.accounts[0]?.id ?? '000000000000';
    accountFor(owner);
    buckets.set(spec.name, {
      name: spec.name,
      region: spec.region,
      owner,
      deny: new Set(spec.deny),
      policy: spec.policy ? documentOf(spec.policy) : undefined,
      createdAt: nowIso,
      objects,
    });
  });

  const eksClusters = new Map<string, SimEksCluster>();
  scenario.clusters.forEach((spec, clusterIndex) => {
    if (spec.kind !== 'eks') return;
    const path = `clusters[${clusterIndex}]`;
    if (eksClusters.has(spec.name)) throw new Error(where(`${path}.name: cluster ${spec.name} is listed twice`));
    eksClusters.set(spec.name, buildEksCluster(spec, path));
  });

  function buildEksCluster(spec: ScenarioCluster, path: string): SimEksCluster {
    const account = spec.account!;
    const region = spec.region!;
    accountFor(account);
    const platformVersion = spec.platformVersion ?? defaultPlatformVersion(spec.version);
    const createdAt = at(spec.createdAt);
    const addons = new Map<string, SimAddon>();
    for (const addon of spec.addons) {
      addons.set(addon.name, { name: addon.name, version: addon.version, status: addon.status ?? 'ACTIVE', createdAt });
    }
    const cluster: SimEksCluster = {
      name: spec.name,
      arn: `arn:aws:eks:${region}:${account}:cluster/${spec.name}`,
      account,
      region,
      version: spec.version,
      platformVersion,
      oidcIssuer: spec.oidcIssuer ?? `https://oidc.eks.${region}.amazonaws.com/id/${oidcIssuerIdFor(spec.name)}`,
      stsRegionalDefault: spec.stsRegionalDefault ?? stsRegionalDefaultFor(spec.version, platformVersion),
      createdAt,
      addons,
      associations: new Map(),
      autoMode: spec.autoMode ?? false,
      associationLimit: spec.associationLimit ?? DEFAULT_ASSOCIATION_LIMIT,
      accessEntries: new Map(),
    };
    spec.accessEntries.forEach((entry, index) => {
      const entryPath = `${path}.accessEntries[${index}]`;
      if (cluster.accessEntries.has(entry.principalArn))
        throw new Error(where(`${entryPath}.principalArn: ${entry.principalArn} has a second access entry (EKS allows one per principal)`));
      const created = at(entry.createdAt);
      if (entry.type !== 'STANDARD' && entry.accessPolicies.length > 0)
        throw new Error(where(`${entryPath}.accessPolicies: only STANDARD access entries take access policies, not ${entry.type}`));
      const accessPolicies = new Map<string, SimAccessPolicyAssociation>();
      entry.accessPolicies.forEach((policy, policyIndex) => {
        if (!accessPolicyByArn(policy.policyArn))
          throw new Error(
            where(
              `${entryPath}.accessPolicies[${policyIndex}].policyArn: the simulator models no access policy ${policy.policyArn} (sim/kube/access-policies.ts)`,
            ),
          );
        if (accessPolicies.has(policy.policyArn))
          throw new Error(where(`${entryPath}.accessPolicies[${policyIndex}]: ${policy.policyArn} is associated twice`));
        const associatedAt = at(entry.createdAt);
        accessPolicies.set(policy.policyArn, {
          policyArn: policy.policyArn,
          accessScope:
            policy.accessScope.type === 'namespace'
              ? { type: 'namespace', namespaces: policy.accessScope.namespaces }
              : { type: 'cluster', namespaces: [] },
          associatedAt,
          modifiedAt: associatedAt,
        });
      });
      cluster.accessEntries.set(entry.principalArn, {
        principalArn: entry.principalArn,
        accessEntryArn: accessEntryArn(region, account, spec.name, entry.principalArn, `${spec.name}/${entry.principalArn}`),
        kubernetesGroups: entry.kubernetesGroups,
        username: entry.username ?? defaultAccessEntryUsername(entry.principalArn),
        type: entry.type,
        tags: entry.tags ?? {},
        createdAt: created,
        modifiedAt: created,
        accessPolicies,
      });
    });
    const bySa = new Set<string>();
    const addAssociation = (association: Omit<SimAssociation, 'associationArn' | 'clusterName'>, assocPath: string) => {
      const saKey = `${association.namespace}/${association.serviceAccount}`;
      if (bySa.has(saKey)) throw new Error(where(`${assocPath}: a second association for ${saKey} (EKS allows one per service account)`));
      if (cluster.associations.has(association.associationId))
        throw new Error(where(`${assocPath}.associationId: ${association.associationId} is used twice`));
      bySa.add(saKey);
      cluster.associations.set(association.associationId, {
        ...association,
        clusterName: spec.name,
        associationArn: associationArn(region, account, spec.name, association.associationId),
      });
    };
    spec.podIdentityAssociations.forEach((a, index) => {
      const created = at(a.createdAt);
      const targetRoleArn = a.targetRoleArn ?? undefined;
      const associationId = a.associationId ?? associationIdFor(`${spec.name}/${a.namespace}/${a.serviceAccount}`);
      addAssociation(
        {
          associationId,
          namespace: a.namespace,
          serviceAccount: a.serviceAccount,
          roleArn: a.roleArn,
          targetRoleArn,
          externalId: targetRoleArn ? externalIdFor(associationId) : undefined,
          disableSessionTags: a.disableSessionTags ?? false,
          policy: a.policy ? JSON.stringify(documentOf(a.policy)) : undefined,
          ownerArn: a.ownerArn ?? undefined,
          tags: a.tags ?? {},
          createdAt: created,
          modifiedAt: created,
        },
        `${path}.podIdentityAssociations[${index}]`,
      );
    });
    const generate = spec.generate;
    if (generate && generate.associationsPerNamespace > 0) {
      const roleAccount = accountFor(generate.roleAccount ?? account);
      const perNamespace = Math.min(generate.associationsPerNamespace, generate.serviceAccountsPerNamespace);
      for (let n = 0; n < generate.namespaces; n++) {
        const namespace = generatedNamespaceName(n);
        for (let s = 0; s < perNamespace; s++) {
          const serviceAccount = generatedServiceAccountName(s);
          const name = `gen-${namespace}-${serviceAccount}`;
          let role = roleAccount.roles.get(name);
          if (!role) {
            const arn = roleArn(roleAccount.id, '/', name);
            role = {
              name,
              path: '/',
              arn,
              roleId: roleIdFor(arn),
              account: roleAccount.id,
              trustPolicy: podIdentityTrustPolicy(),
              tags: {},
              createdAt,
              inlinePolicies: new Map(),
              attachedPolicies: [],
            };
            roleAccount.roles.set(name, role);
          }
          const associationId = associationIdFor(`${spec.name}/${namespace}/${serviceAccount}`);
          addAssociation(
            {
              associationId,
              namespace,
              serviceAccount,
              roleArn: role.arn,
              disableSessionTags: false,
              tags: {},
              createdAt,
              modifiedAt: createdAt,
            },
            `${path}.generate`,
          );
        }
      }
    }
    return cluster;
  }

  scenario.rateLimits.forEach((limit, index) => {
    if (limit.account !== undefined && !accounts.has(limit.account))
      throw new Error(where(`rateLimits[${index}].account: no account ${limit.account} in the scenario`));
  });
  const listeners = new Set<(event: WorldEvent) => void>();
  return {
    clock,
    accounts,
    buckets,
    awsManagedPolicies,
    eksClusters,
    faults: createFaultLayer(clock, scenario.faults),
    traffic: createAwsTraffic(clock, scenario.rateLimits),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (err) {
          // One broken listener must not stop the others or the request that caused the event.
          console.error(`sim: world event listener failed on ${event.type}:`, err);
        }
      }
    },
  };
}

/** EKS returns an externalId (a UUID-like string) when an association chains into a target role. */
export function externalIdFor(associationId: string): string {
  const hex = Buffer.from(associationId.padEnd(32, '0')).toString('hex').slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
