import { describe, expect, it } from 'vitest';
import { suggestionCommands, suggestionTitle } from './commands';
import { workloadsToRestart } from './roll-pods/commands';

// The same lines serve the How-to-fix panel (a finding's suggestion, few facts) and the plan preview (all facts).

describe('equivalent commands', () => {
  it('restarts the workloads the pods belong to, once each, and skips bare and Job pods', () => {
    const pods = [
      { owner: { kind: 'Deployment', name: 'payments-api' } },
      { owner: { kind: 'Deployment', name: 'payments-api' } },
      { owner: { kind: 'StatefulSet', name: 'ledger' } },
      { owner: { kind: 'Job', name: 'migrate' } },
      { owner: null },
    ];
    const workloads = workloadsToRestart(pods);
    expect(workloads).toEqual([
      { kind: 'Deployment', name: 'payments-api' },
      { kind: 'StatefulSet', name: 'ledger' },
    ]);
    expect(
      suggestionCommands(
        { type: 'roll-pods', params: { cluster: 'prod', namespace: 'payments', serviceAccount: 'payments-api' } },
        { workloads, kubeContext: 'prod-ctx' },
      ),
    ).toEqual([
      'kubectl --context prod-ctx -n payments rollout restart deployment/payments-api',
      'kubectl --context prod-ctx -n payments rollout restart statefulset/ledger',
    ]);
  });

  it('lists the owners first when the workloads are not known', () => {
    const lines = suggestionCommands({ type: 'roll-pods', params: { cluster: 'prod', namespace: 'payments', serviceAccount: 'api' } });
    expect(lines[0]).toContain('get pods --field-selector spec.serviceAccountName=api');
    expect(lines.at(-1)).toBe('kubectl -n payments rollout restart deployment/"$DEPLOYMENT"');
  });

  it('removes the STS annotation when the value is null, sets it otherwise, conditional on the resourceVersion when known', () => {
    expect(
      suggestionCommands({ type: 'set-sts-regional-endpoints', params: { namespace: 'data', serviceAccount: 'etl', value: null } })[0],
    ).toBe('kubectl -n data annotate serviceaccount etl --overwrite eks.amazonaws.com/sts-regional-endpoints-');
    expect(
      suggestionCommands(
        { type: 'set-sts-regional-endpoints', params: { namespace: 'data', serviceAccount: 'etl', value: 'true' } },
        { kubeContext: 'ctx one', resourceVersion: '77' },
      )[0],
    ).toBe(
      "kubectl --context 'ctx one' -n data annotate serviceaccount etl --overwrite --resource-version=77 eks.amazonaws.com/sts-regional-endpoints=true",
    );
  });

  it('names the role of a trust-policy fix, and writes the planned document when it is known', () => {
    const roleArn = 'arn:aws:iam::111122223333:role/team/settlement';
    expect(suggestionCommands({ type: 'fix-trust-policy', params: { roleArn } }).at(-1)).toBe(
      'aws iam update-assume-role-policy --role-name settlement --policy-document file://trust-policy.json',
    );
    expect(suggestionCommands({ type: 'fix-trust-policy', params: { roleArn } }, { policyDocument: { Statement: [] } })).toEqual([
      `aws iam update-assume-role-policy --role-name settlement --policy-document '{"Statement":[]}'`,
    ]);
  });

  it("uses EKS's name and region for the cluster", () => {
    expect(
      suggestionCommands(
        { type: 'delete-association', params: { cluster: 'prod', associationId: 'a-1' } },
        { region: 'us-east-1', eksClusterName: 'prod-use1' },
      ),
    ).toEqual(['aws eks delete-pod-identity-association --region us-east-1 --cluster-name prod-use1 --association-id a-1']);
  });

  it('asks for what the params cannot know instead of inventing it', () => {
    const create = suggestionCommands({ type: 'create-association', params: { cluster: 'prod', roleArn: 'arn:aws:iam::1:role/x' } });
    expect(create.slice(0, 2)).toEqual(['NAMESPACE=  # the namespace of the workload', 'SERVICE_ACCOUNT=  # its service account']);
    expect(create.at(-1)).toContain('--namespace "$NAMESPACE" --service-account "$SERVICE_ACCOUNT"');
    expect(create.at(-1)).toContain('--role-arn arn:aws:iam::1:role/x');
    const update = suggestionCommands({ type: 'update-association', params: { cluster: 'prod', associationId: 'a-1' } });
    expect(update[0]).toBe('ROLE_ARN=  # an existing role that trusts pods.eks.amazonaws.com');
    expect(update.at(-1)).toContain('--role-arn "$ROLE_ARN"');
  });

  it('quotes what the shell would otherwise split or expand', () => {
    const lines = suggestionCommands({ type: 'remove-irsa-annotation', params: { namespace: 'team a', serviceAccount: "it's" } });
    expect(lines[0]).toBe(`kubectl -n 'team a' annotate serviceaccount 'it'"'"'s' --overwrite eks.amazonaws.com/role-arn-`);
  });

  it('names every suggestion', () => {
    expect(suggestionTitle('open-serviceaccount')).toBe('Open the service account');
    expect(suggestionTitle('roll-pods')).toBe('Restart the pods so the webhook injects the new env');
  });
});
