/** Shell-quotes a value unless it is plainly safe (ARNs, names), so a copied command runs as shown. */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'"'"'`)}'`;
}

/** A Terraform string literal: JSON escapes, plus $${ and %%{ so nothing in it interpolates. */
export function hclString(value: string): string {
  // A function replacement: in a replacement string "$$" would collapse to "$".
  return JSON.stringify(value).replaceAll(/([$%])\{/g, (_match, sigil: string) => `${sigil}${sigil}{`);
}

/**
 * A policy's JSON text as an HCL expression for jsonencode(…): JSON objects and lists are valid HCL once their
 * strings are HCL-escaped, so each JSON string goes through hclString. Text that is not JSON stays one string.
 */
function hclJson(text: string): string {
  try {
    return hclValue(JSON.parse(text) as unknown);
  } catch {
    return hclString(text);
  }
}

function hclValue(value: unknown): string {
  if (typeof value === 'string') return hclString(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(hclValue).join(', ')}]`;
  return `{ ${Object.entries(value)
    .map(([key, item]) => `${hclString(key)} = ${hclValue(item)}`)
    .join(', ')} }`;
}

/** The `aws_eks_pod_identity_association` resource (hashicorp/aws provider) for an association as it will be. */
export function associationTerraform(association: {
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  targetRoleArn?: string | null;
  disableSessionTags?: boolean;
  /** The session policy as JSON text (the provider's `policy` argument, hashicorp/terraform-provider-aws#48869). */
  policy?: string | null;
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
    ...(association.policy ? [`  policy          = jsonencode(${hclJson(association.policy)})`] : []),
    '}',
  ].join('\n');
}
