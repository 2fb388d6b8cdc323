import 'server-only';
import type { ClusterTarget } from '@/lib/config/cluster-targets';
import type { AwsScope } from '@/lib/aws/eks';
import { awsErrorCode } from '@/lib/aws/errors';
import { getObjectText, listObjectsV2Page } from '@/lib/aws/s3';
import { ContinuationGuard, MAX_LATEST_JSON_BYTES } from '@/lib/limits/read-limits';
import type { S3Reader, S3ReaderContext, S3ReaderFactory } from '@/lib/snapshots/types';
import { collectCache, type CollectCache } from './cache';
import { awsScopeOf, defaultRegionOf } from './aws-side';

// S3 for the snapshot checks (lib/snapshots S3Reader), over the shared cache and pool. A bucket is read with
// the credentials of the writer's cluster (or of a cluster in the bucket's account), else the default chain.

function s3Error(error: unknown): Error & { code: string } {
  const code = awsErrorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return Object.assign(new Error(message), { code });
}

function scopeFor(context: S3ReaderContext, targets: ClusterTarget[]): AwsScope {
  const byCluster = context.cluster ? targets.find((target) => target.name === context.cluster) : undefined;
  const byAccount = context.account ? targets.find((target) => target.eks?.account === context.account) : undefined;
  const chosen = (byAccount && awsScopeOf(byAccount)) ?? (byCluster && awsScopeOf(byCluster));
  const region = context.region ?? chosen?.region ?? defaultRegionOf(targets);
  return { region, credentials: chosen?.credentials ?? {} };
}

export function s3ReaderFactory(targets: ClusterTarget[], cache: CollectCache = collectCache()): S3ReaderFactory {
  return (context: S3ReaderContext): S3Reader => {
    const scope = scopeFor(context, targets);
    const credentialParams = { region: scope.region, assumeRoleArn: scope.credentials.assumeRoleArn, profile: scope.credentials.profile };
    return {
      async listObjectsV2All(bucket, prefix, delimiter) {
        try {
          return await cache.get('s3:ListObjectsV2', { bucket, prefix, delimiter, ...credentialParams }, async () => {
            const keys: string[] = [];
            const commonPrefixes: string[] = [];
            const guard = new ContinuationGuard(`ListObjectsV2 s3://${bucket}/${prefix}`);
            let token: string | undefined;
            do {
              const page = await cache.call('s3:ListObjectsV2', () => listObjectsV2Page(scope, bucket, prefix, delimiter, token));
              keys.push(...page.keys);
              commonPrefixes.push(...page.commonPrefixes);
              token = guard.next(page.continuationToken);
            } while (token);
            return { keys, commonPrefixes };
          });
        } catch (error) {
          throw s3Error(error);
        }
      },
      async getObjectText(bucket, key) {
        try {
          return await cache.get(
            's3:GetObject',
            { bucket, key, ...credentialParams },
            () => getObjectText(scope, bucket, key, MAX_LATEST_JSON_BYTES),
            {
              pooled: true,
            },
          );
        } catch (error) {
          throw s3Error(error);
        }
      },
    };
  };
}
