import { ANNOTATION_ROLE_ARN, ANNOTATION_STS_REGIONAL } from '@/lib/model/kube-objects';
import type { Finding } from '@/lib/model/finding';
import type { ChainStatus, ChainStep } from '@/lib/model/identity-row';
import { explainDecision } from '@/lib/policy/policy-evaluator';
import { desiredStsMode, lookupRole, type ServiceAccountContext } from './identity-context';
import { AGENT_ADDON_NAME, issuerHostPath, oidcProviderArn, sdkVerdictsForImage } from './identity-facts';
import { roleNameOf } from '@/lib/model/arn';
import { startedBefore } from './rule-kit';
import { podIdentityTrust, roleChainTrust, statementSummaries, webIdentityTrust } from './trust-checks';

// The SA page's troubleshooter: the credential chain top to bottom, each step pass/fail/warn/unknown with
// its evidence and the commands to check it by hand. Statuses come from the same findings the matrix shows.

function statusFrom(findings: Finding[], codes: string[]): ChainStatus | null {
  const hits = findings.filter((f) => codes.includes(f.code));
  if (hits.length === 0) return null;
  return hits.some((f) => f.severity === 'error') ? 'fail' : 'warn';
}

function codesIn(findings: Finding[], codes: string[]): string[] {
  return findings.filter((f) => codes.includes(f.code)).map((f) => f.code);
}

function q(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function buildCredentialChain(ctx: ServiceAccountContext, findings: Finding[]): ChainStep[] {
  const steps: ChainStep[] = [];
  const cluster = ctx.cluster;
  const eksName = cluster.eks?.name ?? cluster.name;
  const region = cluster.eks?.region ? ` --region ${cluster.eks.region}` : '';
  const a = ctx.association;
  const ns = q(ctx.namespace);
  const sa = q(ctx.name);
  const podsCmd = `kubectl -n ${ns} get pods -o wide --field-selector spec.serviceAccountName=${sa}`;
  const usesPodIdentity = !!a || (!ctx.irsa && cluster.isEks);

  // 1. Association
  if (usesPodIdentity) {
    const listCmd = `aws eks list-pod-identity-associations --cluster-name ${q(eksName)}${region} --namespace ${ns} --service-account ${sa}`;
    if (a) {
      steps.push({
        step: 'association',
        title: `Pod Identity association ${a.associationId}`,
        status: statusFrom(findings, ['PI007', 'PI011']) ?? 'pass',
        evidence: {
          associationId: a.associationId,
          roleArn: a.roleArn ?? null,
          targetRoleArn: a.targetRoleArn ?? null,
          ownerArn: a.ownerArn ?? null,
          disableSessionTags: a.disableSessionTags ?? null,
          createdAt: a.createdAt ?? null,
          modifiedAt: a.modifiedAt ?? null,
          findings: codesIn(findings, ['PI007', 'PI011']),
        },
        commands: [`aws eks describe-pod-identity-association --cluster-name ${q(eksName)}${region} --association-id ${a.associationId}`],
      });
    } else if (!ctx.associationsKnown) {
      steps.push({
        step: 'association',
        title: 'Pod Identity associations could not be read',
        status: 'unknown',
        evidence: { reason: 'ListPodIdentityAssociations failed; see the cluster CL004 finding' },
        commands: [listCmd],
      });
    } else {
      steps.push({
        step: 'association',
        title: 'No Pod Identity association and no IRSA annotation: pods fall back to the node role or static keys',
        status: 'warn',
        evidence: { association: null, irsaAnnotation: null },
        commands: [listCmd, `kubectl -n ${ns} get serviceaccount ${sa} -o yaml`],
      });
    }
  }

  // 2-4. Role, trust, target role (Pod Identity)
  if (a) {
    const lookup = lookupRole(ctx.fleet, a.roleArn);
    const getRole = a.roleArn ? `aws iam get-role --role-name ${q(roleNameOf(a.roleArn))} --query Role.AssumeRolePolicyDocument` : null;
    if (!a.roleArn) {
      steps.push({
        step: 'role',
        title: 'Association role unknown',
        status: 'unknown',
        evidence: { reason: 'DescribePodIdentityAssociation failed; see CL004' },
        commands: [`aws eks describe-pod-identity-association --cluster-name ${q(eksName)}${region} --association-id ${a.associationId}`],
      });
    } else if (!lookup || lookup.status === 'error') {
      steps.push({
        step: 'role',
        title: `Role ${roleNameOf(a.roleArn)} could not be read`,
        status: 'unknown',
        evidence: { roleArn: a.roleArn, error: lookup?.status === 'error' ? lookup.error : 'not looked up' },
        commands: [getRole!],
      });
    } else if (lookup.status === 'missing') {
      steps.push({
        step: 'role',
        title: `Role ${roleNameOf(a.roleArn)} does not exist`,
        status: 'fail',
        evidence: { roleArn: a.roleArn, iamError: 'NoSuchEntity', findings: ['PI001'] },
        commands: [getRole!],
      });
    } else {
      steps.push({
        step: 'role',
        title: `Role ${roleNameOf(a.roleArn)} exists`,
        status: 'pass',
        evidence: { roleArn: a.roleArn, createDate: lookup.role.createDate ?? null },
        commands: [getRole!],
      });
      const trust = podIdentityTrust(ctx, lookup.role);
      const status = statusFrom(findings, ['PI002', 'PI003']);
      const unknown = trust.evaluations.some((e) => e.decision === 'unknown');
      const allowed = trust.evaluations.filter((e) => e.decision === 'allow');
      steps.push({
        step: 'trust-policy',
        title:
          status === 'fail'
            ? `Trust policy of ${roleNameOf(a.roleArn)} does not let Pod Identity in: ${trust.missingActions.length ? `missing ${trust.missingActions.join(', ')}` : explainDecision(trust.blocked!)}`
            : unknown || !cluster.eks
              ? `Trust policy of ${roleNameOf(a.roleArn)}: outcome depends on values the console cannot know`
              : `Trust policy of ${roleNameOf(a.roleArn)} allows pods.eks.amazonaws.com (statement ${allowed.map((e) => e.allowedBy?.sid ?? `#${e.allowedBy?.index}`).join(', ')})`,
        status: status ?? (unknown || !cluster.eks ? 'unknown' : 'pass'),
        evidence: {
          findings: codesIn(findings, ['PI002', 'PI003']),
          grants: trust.grants,
          evaluations: trust.evaluations.map((e) => ({
            action: e.action,
            decision: e.decision,
            matchedStatement: e.allowedBy
              ? { index: e.allowedBy.index, sid: e.allowedBy.sid ?? null, statement: e.allowedBy.statement }
              : null,
            explanation: explainDecision(e),
            statements: statementSummaries(e),
          })),
          trustPolicy: lookup.role.trustPolicy,
        },
        commands: [getRole!],
      });
    }
    if (a.targetRoleArn) {
      const target = lookupRole(ctx.fleet, a.targetRoleArn);
      const getTarget = `aws iam get-role --role-name ${q(roleNameOf(a.targetRoleArn))} --query Role.AssumeRolePolicyDocument`;
      if (target?.status === 'found') {
        const chain = roleChainTrust(ctx, target.role);
        const status = statusFrom(findings, ['PI012']);
        steps.push({
          step: 'target-role',
          title: status
            ? `Target role ${roleNameOf(a.targetRoleArn)} does not trust ${roleNameOf(a.roleArn ?? '')}`
            : `Target role ${roleNameOf(a.targetRoleArn)} trusts the association's role`,
          status: status ?? (!chain || chain.evaluations.some((e) => e.decision === 'unknown') ? 'unknown' : 'pass'),
          evidence: {
            targetRoleArn: a.targetRoleArn,
            externalId: a.externalId ?? null,
            evaluations:
              chain?.evaluations.map((e) => ({ action: e.action, decision: e.decision, explanation: explainDecision(e) })) ?? null,
            trustPolicy: target.role.trustPolicy,
          },
          commands: [getTarget],
        });
      } else {
        steps.push({
          step: 'target-role',
          title:
            target?.status === 'missing'
              ? `Target role ${roleNameOf(a.targetRoleArn)} does not exist`
              : `Target role ${roleNameOf(a.targetRoleArn)} could not be read`,
          status: target?.status === 'missing' ? 'fail' : 'unknown',
          evidence: { targetRoleArn: a.targetRoleArn, error: target?.status === 'error' ? target.error : null },
          commands: [getTarget],
        });
      }
    }

    // 5. Agent on the pods' nodes
    const agentStatus = statusFrom(findings, ['PI004', 'PI006']);
    const podNodes = [...new Set((ctx.pods ?? []).map((p) => p.nodeName).filter((n): n is string => !!n))];
    const knowable =
      cluster.agentAddon !== undefined && (cluster.agentAddon === null || (cluster.agentReadyNodes !== null && ctx.pods !== null));
    steps.push({
      step: 'agent',
      title: agentStatus
        ? cluster.agentAddon === null
          ? `No ${AGENT_ADDON_NAME} add-on in ${cluster.name}`
          : 'Pod Identity agent missing on nodes running these pods'
        : knowable
          ? `A ready ${AGENT_ADDON_NAME} pod runs on every node with pods of this service account`
          : 'Pod Identity agent coverage unknown',
      status: agentStatus ?? (knowable ? 'pass' : 'unknown'),
      evidence: {
        findings: codesIn(findings, ['PI004', 'PI006']),
        addon: cluster.agentAddon ?? null,
        nodes: podNodes.map((n) => ({
          node: n,
          kind: ctx.pods!.find((p) => p.nodeName === n)!.nodeKind,
          agentReady: cluster.agentReadyNodes ? cluster.agentReadyNodes.has(n) : null,
        })),
      },
      commands: [
        `aws eks describe-addon --cluster-name ${q(eksName)}${region} --addon-name ${AGENT_ADDON_NAME}`,
        `kubectl -n kube-system get daemonset ${AGENT_ADDON_NAME}`,
        `kubectl -n kube-system get pods -l app.kubernetes.io/name=${AGENT_ADDON_NAME} -o wide`,
        podsCmd,
      ],
    });
  }

  // IRSA: annotation, role, OIDC provider, trust
  if (ctx.irsa) {
    const irsa = ctx.irsa;
    const status = statusFrom(findings, ['IR001', 'IR007', 'ID001']);
    steps.push({
      step: 'irsa-annotation',
      title: findings.some((f) => f.code === 'ID001')
        ? `IRSA annotation next to association ${a?.associationId}: new pods get Pod Identity only`
        : `IRSA annotation ${ANNOTATION_ROLE_ARN}=${irsa.roleArn}`,
      status: status ?? 'pass',
      evidence: {
        roleArn: irsa.roleArn,
        validArn: !!irsa.roleArnParts,
        audience: irsa.audience,
        tokenExpiration: irsa.tokenExpirationRaw,
        findings: codesIn(findings, ['IR001', 'IR007', 'ID001']),
      },
      commands: [`kubectl -n ${ns} get serviceaccount ${sa} -o jsonpath='{.metadata.annotations}'`],
    });
    if (irsa.roleArnParts) {
      const lookup = lookupRole(ctx.fleet, irsa.roleArn);
      const getRole = `aws iam get-role --role-name ${q(irsa.roleArnParts.name)} --query Role.AssumeRolePolicyDocument`;
      steps.push({
        step: 'irsa-role',
        title:
          lookup?.status === 'found'
            ? `IRSA role ${irsa.roleArnParts.name} exists`
            : lookup?.status === 'missing'
              ? `IRSA role ${irsa.roleArnParts.name} does not exist`
              : `IRSA role ${irsa.roleArnParts.name} could not be read`,
        status: lookup?.status === 'found' ? 'pass' : lookup?.status === 'missing' ? 'fail' : 'unknown',
        evidence: { roleArn: irsa.roleArn, error: lookup?.status === 'error' ? lookup.error : null },
        commands: [getRole],
      });
      const issuer = cluster.eks?.oidcIssuer;
      const providers = ctx.fleet.accounts[irsa.roleArnParts.account]?.oidcProviders;
      const ir003 = statusFrom(findings, ['IR003']);
      steps.push({
        step: 'oidc-provider',
        title: ir003
          ? `OIDC issuer not registered in account ${irsa.roleArnParts.account}`
          : issuer && providers
            ? `OIDC issuer registered in account ${irsa.roleArnParts.account}`
            : 'OIDC provider registration unknown',
        status: ir003 ?? (issuer && providers ? 'pass' : 'unknown'),
        evidence: {
          issuer: issuer ?? null,
          expectedProviderArn: issuer
            ? oidcProviderArn(irsa.roleArnParts.account, issuerHostPath(issuer), irsa.roleArnParts.partition)
            : null,
          registeredProviders: providers ?? null,
        },
        commands: [
          `aws eks describe-cluster --name ${q(eksName)}${region} --query cluster.identity.oidc.issuer --output text`,
          'aws iam list-open-id-connect-providers',
        ],
      });
      if (lookup?.status === 'found') {
        const trust = webIdentityTrust(ctx, lookup.role, irsa.audience);
        const tStatus = statusFrom(findings, ['IR004', 'IR005']);
        steps.push({
          step: 'irsa-trust-policy',
          title: tStatus
            ? `Trust policy of ${irsa.roleArnParts.name} does not let ${ctx.namespace}/${ctx.name} in: ${trust ? explainDecision(trust.evaluation) : ''}`
            : trust?.evaluation.decision === 'allow'
              ? `Trust policy of ${irsa.roleArnParts.name} allows system:serviceaccount:${ctx.namespace}:${ctx.name} (statement ${trust.evaluation.allowedBy?.sid ?? `#${trust.evaluation.allowedBy?.index}`})`
              : `Trust policy of ${irsa.roleArnParts.name}: outcome unknown`,
          status: tStatus ?? (trust?.evaluation.decision === 'allow' ? 'pass' : 'unknown'),
          evidence: {
            findings: codesIn(findings, ['IR004', 'IR005']),
            federatedPrincipal: trust?.providerArn ?? null,
            decision: trust?.evaluation.decision ?? null,
            matchedStatement: trust?.evaluation.allowedBy
              ? {
                  index: trust.evaluation.allowedBy.index,
                  sid: trust.evaluation.allowedBy.sid ?? null,
                  statement: trust.evaluation.allowedBy.statement,
                }
              : null,
            statements: trust ? statementSummaries(trust.evaluation) : null,
            trustPolicy: lookup.role.trustPolicy,
          },
          commands: [getRole],
        });
      }
    }
  }

  // Pods' injected env against the change
  const changedAt = a?.createdAt ?? null;
  const envCodes = ['PI005', 'IR006', 'ID002'];
  const envStatus = statusFrom(findings, envCodes);
  const unknownSecrets = (ctx.pods ?? []).flatMap((p) => p.unknownEnvFromSecrets.map((s) => ({ pod: p.name, ...s })));
  steps.push({
    step: 'pod-env',
    title: !ctx.pods
      ? 'Pods could not be read'
      : ctx.pods.length === 0
        ? 'No running pods: new pods get the env at admission'
        : envStatus
          ? `Some pods lack the credentials env they should carry, or set static keys (${codesIn(findings, envCodes).join(', ')})`
          : unknownSecrets.length > 0
            ? 'Pods load env from Secrets whose keys the console could not read: static keys cannot be ruled out'
            : 'Every pod carries the expected credentials env',
    status: !ctx.pods ? 'unknown' : (envStatus ?? (unknownSecrets.length > 0 ? 'unknown' : 'pass')),
    evidence: {
      findings: codesIn(findings, envCodes),
      changeTime: changedAt,
      change: a ? `association ${a.associationId} created` : ctx.irsa ? `annotation ${ANNOTATION_ROLE_ARN}` : null,
      pods: (ctx.pods ?? []).map((p) => ({
        pod: p.name,
        startTime: p.startTime,
        startedBeforeChange: startedBefore(p.startTime, changedAt),
        mechanism: p.mechanism,
        env: p.env,
      })),
      unknownEnvFromSecrets: unknownSecrets,
    },
    commands: [podsCmd, ...(ctx.pods ?? []).slice(0, 3).map((p) => `kubectl -n ${ns} exec ${q(p.name)} -- env | grep AWS_`)],
  });

  // SDK compatibility of each image
  if (a) {
    const images = [...new Set((ctx.pods ?? []).flatMap((p) => p.images.map((i) => i.image)))];
    const verdicts = images.map((image) => ({ image, verdicts: sdkVerdictsForImage(image) }));
    const sdkStatus = statusFrom(findings, ['PI009']);
    const someUnknown = verdicts.some((v) => v.verdicts.some((x) => x.verdict === 'unknown'));
    steps.push({
      step: 'sdk',
      title: sdkStatus
        ? 'An image ships an AWS SDK too old for Pod Identity'
        : ctx.pods
          ? 'No image is known to ship an SDK too old for Pod Identity'
          : 'Images unknown',
      status: sdkStatus ?? (!ctx.pods || someUnknown ? 'unknown' : 'pass'),
      evidence: { findings: codesIn(findings, ['PI009']), images: verdicts },
      commands: [
        `kubectl -n ${ns} get pods --field-selector spec.serviceAccountName=${sa} -o jsonpath='{range .items[*]}{.metadata.name}{"\\t"}{.spec.containers[*].image}{"\\n"}{end}'`,
      ],
    });
  }

  // STS mode (IRSA pods only)
  if (ctx.irsa) {
    const desired = desiredStsMode(ctx);
    const stsStatus = statusFrom(findings, ['ST001', 'ST002']);
    const irsaPods = (ctx.pods ?? []).filter((p) => p.stsRunning !== null);
    steps.push({
      step: 'sts-mode',
      title: `STS endpoint: desired ${desired.mode}; running ${
        irsaPods.length
          ? irsaPods
              .map((p) => p.stsRunning)
              .filter((v, i, arr) => arr.indexOf(v) === i)
              .join('/')
          : 'no IRSA pods'
      }`,
      status: stsStatus ?? (desired.mode === 'unknown' || !ctx.pods ? 'unknown' : 'pass'),
      evidence: {
        findings: codesIn(findings, ['ST001', 'ST002']),
        annotation: ctx.stsAnnotation,
        desired: desired.mode,
        desiredBecause: desired.reason,
        pods: irsaPods.map((p) => ({
          pod: p.name,
          startTime: p.startTime,
          AWS_STS_REGIONAL_ENDPOINTS: p.stsRunning === 'unset' ? null : p.stsRunning,
        })),
      },
      commands: [
        `kubectl -n ${ns} get serviceaccount ${sa} -o jsonpath='{.metadata.annotations.${ANNOTATION_STS_REGIONAL.replace(/\./g, '\\.')}}'`,
        ...irsaPods.slice(0, 3).map((p) => `kubectl -n ${ns} exec ${q(p.name)} -- env | grep AWS_STS_REGIONAL_ENDPOINTS`),
      ],
    });
  }
  return steps;
}
