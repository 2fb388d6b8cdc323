import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { loadConsoleConfig } from '@/lib/config/console-config';
import { resolveClusterTargets, type ClusterTarget } from '@/lib/config/cluster-targets';
import { consoleStore } from '@/lib/store/console-store';
import { KubeApiError, kubeRequest } from '@/lib/kube/client';

// GET /api/health/ready (api.md "Operating the console"): ready when the config is valid, the store (under
// DATA_DIR, or PostgreSQL with DATABASE_URL) is writable, and at least one cluster answers with the console's credentials. Liveness
// (/api/health) stays a bare "the process answers", so a cluster outage takes the pod out of the Service
// without Kubernetes restarting it over and over.

export interface ReadinessCheck {
  check: 'config' | 'store' | 'clusters';
  ok: boolean;
  message: string;
}

const CLUSTER_PROBE_TIMEOUT_MS = 4_000;
/**
 * A cluster that answered this recently still counts while a probe is slow (an exec credential plugin such as
 * `aws eks get-token` on a busy node), so one slow probe does not take the pod out of the Service.
 */
const ANSWER_MEMORY_MS = 60_000;

const shared = globalThis as typeof globalThis & { __workloadIdentityClusterAnswers?: Map<string, number> };
const lastAnswered = (shared.__workloadIdentityClusterAnswers ??= new Map<string, number>());

async function checkStore(): Promise<ReadinessCheck> {
  let store;
  try {
    store = consoleStore();
  } catch (error) {
    return { check: 'store', ok: false, message: (error as Error).message };
  }
  if (store.engine === 'postgres') {
    try {
      await store.check();
      return { check: 'store', ok: true, message: 'PostgreSQL (DATABASE_URL) answers' };
    } catch (error) {
      return { check: 'store', ok: false, message: `PostgreSQL (DATABASE_URL) does not answer: ${(error as Error).message}` };
    }
  }
  const dataDir = path.resolve(/*turbopackIgnore: true*/ process.env.DATA_DIR ?? '.data');
  const probe = path.join(dataDir, `.ready-${process.pid}`);
  try {
    await store.check();
    fs.writeFileSync(probe, String(Date.now()));
    fs.rmSync(probe, { force: true });
    return { check: 'store', ok: true, message: `${dataDir} is writable` };
  } catch (error) {
    return { check: 'store', ok: false, message: `DATA_DIR ${dataDir} is not writable: ${(error as Error).message}` };
  }
}

/**
 * A cluster answers with our credentials: a SelfSubjectReview, which every authenticated user may create. Any
 * answer but 401 means the request got past authentication (an API server older than 1.28 says 404).
 */
async function clusterAnswers(target: ClusterTarget): Promise<string | null> {
  const request = kubeRequest(target, '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
    method: 'POST',
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CLUSTER_PROBE_TIMEOUT_MS / 1000} s`)), CLUSTER_PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([request, timeout]);
    lastAnswered.set(target.name, Date.now());
    return null;
  } catch (error) {
    if (error instanceof KubeApiError && error.status !== 401) {
      lastAnswered.set(target.name, Date.now());
      return null;
    }
    const answeredAt = lastAnswered.get(target.name);
    if (answeredAt !== undefined && Date.now() - answeredAt < ANSWER_MEMORY_MS && !(error instanceof KubeApiError)) return null;
    return `${target.name}: ${(error as Error).message}`;
  } finally {
    clearTimeout(timer);
  }
}

async function checkClusters(targets: ClusterTarget[]): Promise<ReadinessCheck> {
  if (targets.length === 0) return { check: 'clusters', ok: false, message: 'no cluster is configured' };
  const failures = (await Promise.all(targets.map(clusterAnswers))).filter((failure): failure is string => failure !== null);
  const readable = targets.length - failures.length;
  if (readable > 0)
    return {
      check: 'clusters',
      ok: true,
      message: `${readable} of ${targets.length} clusters answer${failures.length ? `; ${failures.join('; ')}` : ''}`,
    };
  return { check: 'clusters', ok: false, message: `no cluster answers: ${failures.join('; ')}` };
}

export async function readiness(): Promise<{ ready: boolean; checks: ReadinessCheck[] }> {
  let targets: ClusterTarget[];
  const checks: ReadinessCheck[] = [];
  try {
    targets = resolveClusterTargets(loadConsoleConfig());
    checks.push({
      check: 'config',
      ok: true,
      message: process.env.CONSOLE_CONFIG ? `${process.env.CONSOLE_CONFIG} is valid` : 'no config file',
    });
  } catch (error) {
    checks.push({ check: 'config', ok: false, message: (error as Error).message });
    return { ready: false, checks: [...checks, await checkStore()] };
  }
  checks.push(await checkStore(), await checkClusters(targets));
  return { ready: checks.every((check) => check.ok), checks };
}
