import { describe, expect, it } from 'vitest';
import { associationTerraform, hclString, shellQuote } from './shell';

describe('copyable equivalents', () => {
  it('quotes only what the shell would split or expand', () => {
    expect(shellQuote('arn:aws:iam::111122223333:role/payments-api')).toBe('arn:aws:iam::111122223333:role/payments-api');
    expect(shellQuote('{"Statement":[]}')).toBe(`'{"Statement":[]}'`);
    expect(shellQuote("it's")).toBe(`'it'"'"'s'`);
  });

  it('escapes Terraform interpolation in strings', () => {
    expect(hclString('${var.x} and %{ if }')).toBe('"$${var.x} and %%{ if }"');
  });

  it('writes the aws_eks_pod_identity_association block with optional fields only when set', () => {
    const block = associationTerraform({
      clusterName: 'prod-use1',
      namespace: 'payments',
      serviceAccount: 'api.v2',
      roleArn: 'arn:aws:iam::111122223333:role/api',
    });
    expect(block).toBe(
      [
        'resource "aws_eks_pod_identity_association" "payments_api_v2" {',
        '  cluster_name    = "prod-use1"',
        '  namespace       = "payments"',
        '  service_account = "api.v2"',
        '  role_arn        = "arn:aws:iam::111122223333:role/api"',
        '}',
      ].join('\n'),
    );
    expect(
      associationTerraform({
        clusterName: 'c',
        namespace: 'n',
        serviceAccount: 's',
        roleArn: 'r',
        targetRoleArn: 't',
        disableSessionTags: true,
      }),
    ).toContain('target_role_arn = "t"\n  disable_session_tags = true');
  });
});
