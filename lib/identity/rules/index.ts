import type { IdentityRule } from '../rule-kit';
import { pi001RoleMissing } from './pi001-role-missing';
import { pi002TrustMissingPodIdentity } from './pi002-trust-missing-pod-identity';
import { pi003TrustConditionUnmatchable } from './pi003-trust-condition-unmatchable';
import { pi004AgentMissing } from './pi004-agent-missing';
import { pi005PodsPredateAssociation } from './pi005-pods-predate-association';
import { pi006UnsupportedNodes } from './pi006-unsupported-nodes';
import { pi007AssociationTargetAbsent } from './pi007-association-target-absent';
import { pi008UnboundPodIdentityRole } from './pi008-unbound-pod-identity-role';
import { pi009SdkTooOld } from './pi009-sdk-too-old';
import { pi010AssociationQuota } from './pi010-association-quota';
import { pi011AddonOwnedAssociation } from './pi011-addon-owned-association';
import { pi012TargetRoleUntrusting } from './pi012-target-role-untrusting';
import { pi013ProxyWithoutNoProxy } from './pi013-proxy-without-no-proxy';
import { pm001KnownNeedDenied } from './pm001-known-need-denied';
import { pm002SessionTagsDisabled } from './pm002-session-tags-disabled';
import { pm003Escalation } from './pm003-escalation';
import { pm004SessionPolicy } from './pm004-session-policy';
import { ir001InvalidRoleArn } from './ir001-invalid-role-arn';
import { ir002RoleMissing } from './ir002-role-missing';
import { ir003OidcProviderMissing } from './ir003-oidc-provider-missing';
import { ir004TrustMissingWebIdentity } from './ir004-trust-missing-web-identity';
import { ir005TrustExcludesServiceAccount } from './ir005-trust-excludes-service-account';
import { ir006PodsPredateAnnotation } from './ir006-pods-predate-annotation';
import { ir007TokenExpirationInvalid } from './ir007-token-expiration-invalid';
import { id001BothMechanisms } from './id001-both-mechanisms';
import { id002StaticKeys } from './id002-static-keys';
import { st001StsModeDrift } from './st001-sts-mode-drift';
import { st002StsNotRegional } from './st002-sts-not-regional';
import { cl001AgentAddonMissing } from './cl001-agent-addon-missing';
import { cl002AgentNotReady } from './cl002-agent-not-ready';
import { cl003PlatformTooOld } from './cl003-platform-too-old';
import { cl004SourceUnreadable } from './cl004-source-unreadable';
import { cl005ConsoleAccessEntry } from './cl005-console-access-entry';

/** Every identity rule, in catalog order. The one list the evaluator runs. */
export const IDENTITY_RULES: IdentityRule[] = [
  pi001RoleMissing,
  pi002TrustMissingPodIdentity,
  pi003TrustConditionUnmatchable,
  pi004AgentMissing,
  pi005PodsPredateAssociation,
  pi006UnsupportedNodes,
  pi007AssociationTargetAbsent,
  pi008UnboundPodIdentityRole,
  pi009SdkTooOld,
  pi010AssociationQuota,
  pi011AddonOwnedAssociation,
  pi012TargetRoleUntrusting,
  pi013ProxyWithoutNoProxy,
  ir001InvalidRoleArn,
  ir002RoleMissing,
  ir003OidcProviderMissing,
  ir004TrustMissingWebIdentity,
  ir005TrustExcludesServiceAccount,
  ir006PodsPredateAnnotation,
  ir007TokenExpirationInvalid,
  id001BothMechanisms,
  id002StaticKeys,
  st001StsModeDrift,
  st002StsNotRegional,
  cl001AgentAddonMissing,
  cl002AgentNotReady,
  cl003PlatformTooOld,
  cl004SourceUnreadable,
  cl005ConsoleAccessEntry,
  pm001KnownNeedDenied,
  pm002SessionTagsDisabled,
  pm003Escalation,
  pm004SessionPolicy,
];
