import 'server-only';
import type { AwsScope } from '@/lib/aws/eks';
import { createEksToken, type EksToken } from '@/lib/aws/eks-token';

// The bearer token of a cluster the console reaches with its own AWS identity (clusters[].arn, discover):
// one token per cluster and scope, made again 5 minutes before STS would stop accepting it (a token lives
// 15 minutes), so a request never leaves with a token about to lapse; one signing at a time per cluster.

const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

export type BearerTokenProvider = () => Promise<string>;

export function eksBearerTokenProvider(scope: AwsScope, clusterName: string, now: () => number = Date.now): BearerTokenProvider {
  let current: Promise<EksToken> | undefined;
  return async () => {
    const held = current ? await current.catch(() => undefined) : undefined;
    if (!held || held.expiresAt - REFRESH_BEFORE_EXPIRY_MS <= now()) {
      const next = createEksToken(scope, clusterName, new Date(now()));
      current = next;
      // A failed signing (no credentials yet, AssumeRole refused) is not kept: the next request tries again.
      next.catch(() => {
        if (current === next) current = undefined;
      });
      return (await next).token;
    }
    return held.token;
  };
}
