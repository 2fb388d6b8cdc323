import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { SimClock, resolveRelativeTime, resolveRelativeTimesDeep } from './clock';
import { stsRegionalDefault } from './data/sts-regional-defaults';
import { createFaultLayer } from './faults';
import type { LoadedScenario } from './scenario/load';
import type { ScenarioAssociation } from './scenario/schema';
import type { SimAccount, SimAssociation, SimBucket, SimEksCluster, SimRole, SimWorld, WorldEvent } from './world';

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Deterministic ids, so that a scenario always gets the same ones (tests and docs can name them). */
export function associationIdFor(cluster: string, namespace: string, serviceAccount: string, salt = ''): string {
  const digest = hash(`${cluster}/${namespace}/${serviceAccount}${salt}`);
  let id = 'a-';
  for (let i = 0; i < 17; i++) id += ALNUM[parseInt(digest.slice(i * 2, i * 2 + 2), 16) % ALNUM.length];
  return id;
}

export function defaultAccessKeyId(accountId: string): string {
  return `AKIASIM${accountId}`.padEnd(20, 'X');
}

export function defaultSecretAccessKey(accountId: string): string {
  return `sim-secret-${accountId}`;
}

export const POD_IDENTITY_TRUST_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] },
  ],
};

export function roleArnOf(account: string, path: string, name: string): string {
  return `arn:aws:iam::${account}:role${path}${name}`;
}

export function newRole(account: string, name: string, trustPolicy: Record<string, unknown>, createdAt: string, extra: Partial<SimRole> = {}): SimRole {
  const path = extra.path ?? '/';
  return {
    name,
    path,
    arn: roleArnOf(account, path, name),
    roleId: `AROA${hash(`${account}/${name}`).slice(0, 17).toUpperCase()}`,
    account,
    trustPolicy,
    tags: {},
    createdAt,
    ...extra,
  };
}

function emptyAccount(id: string): SimAccount {
  return { id, accessKeyId: defaultAccessKeyId(id), secretAccessKey: defaultSecretAccessKey(id), roles: new Map(), oidcProviders: new Map() };
}

export function associationFromScenario(
  cluster: { name: string; account: string; region: string },
  spec: ScenarioAssociation,
  now: Date,
): SimAssociation {
  const associationId = spec.associationId ?? associationIdFor(cluster.name, spec.namespace, spec.serviceAccount);
  const createdAt = spec.createdAt ? resolveRelativeTime(spec.createdAt, now) : now.toISOString();
  return {
    associationId,
    associationArn: `arn:aws:eks:${cluster.region}:${cluster.account}:podidentityassociation/${cluster.name}/${associationId}`,
    clusterName: cluster.name,
    namespace: spec.namespace,
    serviceAccount: spec.serviceAccount,
    roleArn: spec.roleArn,
    targetRoleArn: spec.targetRoleArn ?? undefined,
    externalId: spec.targetRoleArn ? hash(associationId).slice(0, 36) : undefined,
    disableSessionTags: spec.disableSessionTags ?? false,
    ownerArn: spec.ownerArn ?? undefined,
    tags: spec.tags ?? {},
    createdAt,
    modifiedAt: createdAt,
  };
}

/** gen-0000, sa-0000: names shared with the Kubernetes half's `generate` filler. */
export function generatedName(prefix: string, index: number): string {
  return `${prefix}-${String(index).padStart(4, '0')}`;
}

export function buildWorld(loaded: LoadedScenario, options: { clock?: SimClock } = {}): SimWorld {
  const { scenario } = loaded;
  const clock = options.clock ?? new SimClock(scenario.now && !scenario.now.startsWith('-') ? new Date(scenario.now) : undefined);
  const now = clock.now();
  const at = (value: string | undefined) => (value ? resolveRelativeTime(value, now) : now.toISOString());

  const accounts = new Map<string, SimAccount>();
  for (const spec of scenario.accounts) {
    const account = emptyAccount(spec.id);
    if (spec.accessKeyId) account.accessKeyId = spec.accessKeyId;
    if (spec.secretAccessKey) account.secretAccessKey = spec.secretAccessKey;
    for (const role of spec.roles) {
      account.roles.set(
        role.name,
        newRole(spec.id, role.name, resolveRelativeTimesDeep(role.trustPolicy, now) as Record<string, unknown>, at(role.createdAt), {
          path: role.path ?? '/',
          tags: role.tags ?? {},
          description: role.description,
        }),
      );
    }
    for (const provider of spec.oidcProviders) {
      const hostPath = provider.url.replace(/^https:\/\//, '');
      const arn = `arn:aws:iam::${spec.id}:oidc-provider/${hostPath}`;
      account.oidcProviders.set(arn, { url: provider.url, arn, clientIds: provider.clientIds, thumbprints: provider.thumbprints ?? [hash(hostPath).slice(0, 40)], createdAt: now.toISOString() });
    }
    accounts.set(spec.id, account);
  }

  const buckets = new Map<string, SimBucket>();
  for (const spec of scenario.buckets) {
    const bucket: SimBucket = {
      name: spec.name,
      region: spec.region,
      owner: spec.owner ?? scenario.accounts[0]?.id ?? '000000000000',
      deny: new Set(spec.deny),
      createdAt: now.toISOString(),
      objects: new Map(),
    };
    for (const object of spec.objects) {
      const body = Buffer.from(object.json !== undefined ? JSON.stringify(resolveRelativeTimesDeep(object.json, now), null, 2) : (object.body ?? ''));
      bucket.objects.set(object.key, {
        key: object.key,
        body,
        contentType: object.contentType ?? (object.json !== undefined ? 'application/json' : 'application/octet-stream'),
        lastModified: at(object.lastModified),
        etag: `"${createHash('md5').update(body).digest('hex')}"`,
      });
    }
    buckets.set(spec.name, bucket);
  }

  const eksClusters = new Map<string, SimEksCluster>();
  for (const spec of scenario.clusters) {
    if (spec.kind !== 'eks' || !spec.account || !spec.region) continue;
    if (!accounts.has(spec.account)) accounts.set(spec.account, emptyAccount(spec.account));
    const platformVersion = spec.platformVersion ?? 'eks.10';
    const cluster: SimEksCluster = {
      name: spec.name,
      arn: `arn:aws:eks:${spec.region}:${spec.account}:cluster/${spec.name}`,
      account: spec.account,
      region: spec.region,
      version: spec.version,
      platformVersion,
      oidcIssuer: spec.oidcIssuer ?? `https://oidc.eks.${spec.region}.amazonaws.com/id/${hash(`${spec.account}/${spec.name}`).slice(0, 32).toUpperCase()}`,
      stsRegionalDefault: spec.stsRegionalDefault ?? stsRegionalDefault(spec.version, platformVersion),
      createdAt: at(spec.createdAt ?? '-400d'),
      addons: new Map(spec.addons.map((a) => [a.name, { name: a.name, version: a.version, status: a.status ?? 'ACTIVE', createdAt: at('-200d') }])),
      associations: new Map(),
    };
    for (const associationSpec of spec.podIdentityAssociations) {
      const association = associationFromScenario(cluster, associationSpec, now);
      cluster.associations.set(association.associationId, association);
    }
    if (spec.generate && spec.generate.associationsPerNamespace > 0) {
      const roleAccountId = spec.generate.roleAccount ?? spec.account;
      if (!accounts.has(roleAccountId)) accounts.set(roleAccountId, emptyAccount(roleAccountId));
      const roleAccount = accounts.get(roleAccountId)!;
      const perNamespace = Math.min(spec.generate.associationsPerNamespace, spec.generate.serviceAccountsPerNamespace);
      for (let n = 0; n < spec.generate.namespaces; n++) {
        const namespace = generatedName('gen', n);
        for (let s = 0; s < perNamespace; s++) {
          const serviceAccount = generatedName('sa', s);
          const roleName = `${namespace}-${serviceAccount}`;
          if (!roleAccount.roles.has(roleName)) roleAccount.roles.set(roleName, newRole(roleAccountId, roleName, POD_IDENTITY_TRUST_POLICY, at('-30d')));
          const association = associationFromScenario(cluster, { namespace, serviceAccount, roleArn: roleArnOf(roleAccountId, '/', roleName), createdAt: '-30d' }, now);
          cluster.associations.set(association.associationId, association);
        }
      }
    }
    eksClusters.set(spec.name, cluster);
  }

  const emitter = new EventEmitter();
  emitter.setMaxListeners(100);
  return {
    clock,
    accounts,
    buckets,
    eksClusters,
    faults: createFaultLayer(scenario.faults.map((f) => ({ ...f }))),
    onEvent(listener: (event: WorldEvent) => void) {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },
    emit(event: WorldEvent) {
      emitter.emit('event', event);
    },
  };
}
