import type { SimWorld } from '../world';
import { authorizePrincipal } from './authorize';
import type { Principal } from './principals';

// Whether a principal's request on a bucket would pass S3's checks, for the simulated workloads that write to S3
// without going over HTTP (the Restate and K3s etcd snapshot writers): the bucket's `deny` list first (as
// sim/aws/s3.ts refuses every operation of a denied account), then the IAM evaluation with the bucket policy
// (scenario-format.md, "IAM enforcement"). A missing bucket allows nothing.

export function principalAccount(principal: Principal): string {
  if (principal.kind === 'root') return principal.account;
  if (principal.kind === 'user') return principal.user.account;
  return principal.session.role.account;
}

/** `key` undefined: the bucket itself (s3:ListBucket for HeadBucket); else the object. */
export function s3Allows(world: SimWorld, principal: Principal, action: string, bucketName: string, key?: string): boolean {
  const bucket = world.buckets.get(bucketName);
  if (!bucket || bucket.deny.has(principalAccount(principal))) return false;
  const decision = authorizePrincipal(
    world,
    principal,
    {
      action,
      resource: key === undefined ? `arn:aws:s3:::${bucketName}` : `arn:aws:s3:::${bucketName}/${key}`,
      resourcePolicy: { account: bucket.owner, document: bucket.policy },
    },
    { region: bucket.region },
  );
  return decision.allowed;
}
