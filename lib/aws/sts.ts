import 'server-only';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { awsClient } from './clients';
import type { AwsScope } from './eks';

/**
 * The IAM principal an EKS access entry names for a caller: an assumed-role session's role (without its path,
 * which the session ARN does not carry), else the ARN itself (aws-iam-authenticator pkg/arn Canonicalize).
 */
export function principalArnOfCaller(callerArn: string): string {
  const assumed = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
  return assumed ? `arn:${assumed[1]}:iam::${assumed[2]}:role/${assumed[3]}` : callerArn;
}

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

/** Who the given credentials are (sts:GetCallerIdentity, sent to the region's own STS endpoint). */
export async function callerIdentity(scope: AwsScope): Promise<CallerIdentity> {
  const identity = await awsClient('sts', scope.region, scope.credentials).send(new GetCallerIdentityCommand({}));
  if (!identity.Account || !identity.Arn)
    throw Object.assign(new Error('GetCallerIdentity returned no account'), { name: 'InvalidResponse' });
  return { account: identity.Account, arn: identity.Arn, userId: identity.UserId ?? '' };
}
