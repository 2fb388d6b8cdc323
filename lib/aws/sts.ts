import 'server-only';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { awsClient } from './clients';
import type { AwsScope } from './eks';

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
