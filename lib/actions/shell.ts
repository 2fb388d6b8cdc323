/** Shell-quotes a value unless it is plainly safe (ARNs, names), so a copied command runs as shown. */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'"'"'`)}'`;
}

/** A Terraform string literal: JSON escapes, plus $${ and %%{ so nothing in it interpolates. */
export function hclString(value: string): string {
  // A function replacement: in a replacement string "$$" would collapse to "$".
  return JSON.stringify(value).replaceAll(/([$%])\{/g, (_match, sigil: string) => `${sigil}${sigil}{`);
}

/** The `aws_eks_pod_identity_association` resource (hashicorp/aws provider) for an association as it will be. */
export function associationTerraform(association: {
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  targetRoleArn?: string | null;
  disableSessionTags?: boolean;
}): string {
  const resourceName = `${association.namespace}_${association.serviceAccount}`.replaceAll(/[^a-z0-9_]/g, '_');
  return [
    `resource "aws_eks_pod_identity_association" "${resourceName}" {`,
    `  cluster_name    = ${hclString(association.clusterName)}`,
    `  namespace       = ${hclString(association.namespace)}`,
    `  service_account = ${hclString(association.serviceAccount)}`,
    `  role_arn        = ${hclString(association.roleArn)}`,
    ...(association.targetRoleArn ? [`  target_role_arn = ${hclString(association.targetRoleArn)}`] : []),
    ...(association.disableSessionTags !== undefined ? [`  disable_session_tags = ${association.disableSessionTags}`] : []),
    '}',
  ].join('\n');
}
