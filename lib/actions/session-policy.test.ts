import { describe, expect, it } from 'vitest';
import { suggestionCommands } from './commands';
import { createAssociationParams, fieldErrors, updateAssociationParams } from './schemas';
import { associationTerraform } from './shell';
import { samePolicy } from './session-policy';

// The association's session `policy` (domain.md §1a: EKS takes it only with disableSessionTags=true; EKS API
// reference, CreatePodIdentityAssociation / UpdatePodIdentityAssociation `policy`).

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: "arn:aws:s3:::snapshots/it's/${aws:username}/*" }],
});
const target = { cluster: 'prod', namespace: 'batch', serviceAccount: 'restate', roleArn: 'arn:aws:iam::111122223333:role/shared' };

const errors = (result: { success: boolean; error?: unknown }) =>
  result.success ? {} : fieldErrors(result.error as Parameters<typeof fieldErrors>[0]);

describe('session policy params', () => {
  it('create: a policy needs disableSessionTags true, said on the policy field', () => {
    expect(errors(createAssociationParams.safeParse({ ...target, policy: POLICY }))).toEqual({
      policy: expect.stringContaining('disableSessionTags: true'),
    });
    expect(errors(createAssociationParams.safeParse({ ...target, policy: POLICY, disableSessionTags: false })).policy).toContain(
      'session tags off',
    );
    expect(createAssociationParams.safeParse({ ...target, policy: POLICY, disableSessionTags: true }).success).toBe(true);
    // Session tags off without a policy stays allowed (a trust policy that cannot allow sts:TagSession).
    expect(createAssociationParams.safeParse({ ...target, disableSessionTags: true }).success).toBe(true);
  });

  it('refuses what is not a JSON policy document, and what is longer than STS takes, naming the field', () => {
    const bad = (policy: unknown) => errors(createAssociationParams.safeParse({ ...target, disableSessionTags: true, policy })).policy;
    expect(bad('{"Statement": [')).toMatch(/not valid JSON/);
    expect(bad('[{"Effect":"Allow"}]')).toMatch(/JSON object/);
    expect(bad('{"Version":"2012-10-17"}')).toMatch(/no "Statement"/);
    expect(bad('   ')).toMatch(/leave it out/);
    expect(bad(42)).toMatch(/JSON text/);
    const long = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${'b'.repeat(2100)}` }] });
    expect(bad(long)).toMatch(/at most 2048 characters/);
  });

  it('update: a policy with disableSessionTags false is refused; null removes; a policy alone is a change', () => {
    const id = { cluster: 'prod', associationId: 'a-abcdefghijklmnopq' };
    expect(errors(updateAssociationParams.safeParse({ ...id, policy: POLICY, disableSessionTags: false })).policy).toContain(
      'session tags off',
    );
    expect(updateAssociationParams.safeParse({ ...id, policy: POLICY }).success).toBe(true);
    expect(updateAssociationParams.safeParse({ ...id, policy: null, disableSessionTags: false }).success).toBe(true);
    expect(errors(updateAssociationParams.safeParse({ ...id })).roleArn).toContain('policy');
  });
});

describe('session policy in the equivalent commands', () => {
  it('passes --policy quoted for the shell, so the copied command sends the same JSON', () => {
    const [line] = suggestionCommands({ type: 'create-association', params: { ...target, disableSessionTags: true, policy: POLICY } });
    expect(line).toContain('--disable-session-tags');
    const quoted = /--policy '(.*)'$/m.exec(line)?.[1];
    expect(quoted?.replaceAll(`'"'"'`, "'")).toBe(POLICY);
  });

  it('update: --policy with the new document, and an empty one to remove it', () => {
    const id = { cluster: 'prod', associationId: 'a-abcdefghijklmnopq' };
    expect(suggestionCommands({ type: 'update-association', params: { ...id, policy: POLICY } })[0]).toContain('--policy \'{"Version"');
    const removing = suggestionCommands({ type: 'update-association', params: { ...id, policy: null, disableSessionTags: false } })[0];
    expect(removing).toContain("--policy ''");
    expect(removing).toContain('--no-disable-session-tags');
    expect(removing).not.toContain('ROLE_ARN');
  });

  it('Terraform: policy = jsonencode(…) of the same document, with ${ escaped so Terraform does not interpolate', () => {
    const hcl = associationTerraform({ ...target, clusterName: 'prod', disableSessionTags: true, policy: POLICY });
    expect(hcl).toContain('disable_session_tags = true');
    const policyLine = hcl.split('\n').find((line) => line.trim().startsWith('policy'));
    expect(policyLine).toBe(
      '  policy          = jsonencode({ "Version" = "2012-10-17", "Statement" = [{ "Effect" = "Allow", "Action" = "s3:PutObject", "Resource" = "arn:aws:s3:::snapshots/it\'s/$${aws:username}/*" }] })',
    );
    expect(associationTerraform({ ...target, clusterName: 'prod' })).not.toContain('policy');
  });
});

describe('samePolicy', () => {
  it('compares documents, not whitespace; none equals none; an undefined request asks for nothing', () => {
    expect(samePolicy(JSON.stringify(JSON.parse(POLICY), null, 2), POLICY)).toBe(true);
    expect(samePolicy(POLICY, POLICY.replace('PutObject', 'GetObject'))).toBe(false);
    expect(samePolicy(undefined, null)).toBe(true);
    expect(samePolicy(POLICY, null)).toBe(false);
    expect(samePolicy(undefined, POLICY)).toBe(false);
    expect(samePolicy(POLICY, undefined)).toBe(true);
  });
});
