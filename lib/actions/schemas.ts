import { z } from 'zod';
import { ROLE_ARN_PATTERN } from '@/lib/model/arn';

// Server-side validation of every action's params (api.md "Act"). Messages say what is wrong in words an
// operator understands; the field path goes into `details.fields`.

// Kubernetes names: DNS-1123 subdomain for service accounts, DNS-1123 label for namespaces
// (kubernetes.io/docs/concepts/overview/working-with-objects/names).
export const namespaceName = z
  .string({ message: 'namespace is required' })
  .min(1, 'namespace is required')
  .max(63, 'a namespace name has at most 63 characters')
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'a namespace name is lower-case letters, digits and "-", starting and ending with a letter or digit',
  );

export const serviceAccountName = z
  .string({ message: 'service account is required' })
  .min(1, 'service account is required')
  .max(253, 'a service account name has at most 253 characters')
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    'a service account name is lower-case letters, digits, "-" and ".", starting and ending with a letter or digit',
  );

export const clusterName = z
  .string({ message: 'cluster is required' })
  .min(1, 'cluster is required')
  .max(100, 'a cluster name has at most 100 characters');

export const roleArn = z
  .string({ message: 'role ARN is required' })
  .trim()
  .max(2048, 'an IAM role ARN has at most 2048 characters')
  .regex(ROLE_ARN_PATTERN, 'expected an IAM role ARN like arn:aws:iam::111122223333:role/my-role');

// EKS association ids: "a-" and 17 lower-case letters/digits (EKS API reference, PodIdentityAssociation).
export const associationId = z
  .string({ message: 'association id is required' })
  .regex(/^a-[a-z0-9]{17}$/, 'expected an association id like a-abcdefghijklmno12');

const serviceAccountTarget = { cluster: clusterName, namespace: namespaceName, serviceAccount: serviceAccountName };

/** STS limits a session policy to 2,048 characters (AWS STS API reference, AssumeRole `Policy`). */
export const SESSION_POLICY_MAX_CHARS = 2048;

/**
 * An association's session `policy` (EKS API reference, CreatePodIdentityAssociation / UpdatePodIdentityAssociation):
 * an IAM policy document as JSON text; the pods get what both the role and this policy allow (domain.md §1a, §1d).
 */
export const sessionPolicy = z
  .string({ message: 'policy is an IAM policy document as JSON text' })
  .trim()
  .min(1, 'policy is an IAM policy document as JSON text; leave it out to keep none')
  .max(SESSION_POLICY_MAX_CHARS, `a session policy has at most ${SESSION_POLICY_MAX_CHARS} characters (STS limit)`)
  .superRefine((text, ctx) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `policy is not valid JSON: ${(error as Error).message}` });
      return;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      ctx.addIssue({ code: 'custom', message: 'policy is a JSON object with a "Statement"' });
      return;
    }
    const statement = (parsed as { Statement?: unknown }).Statement;
    if (!statement || typeof statement !== 'object')
      ctx.addIssue({ code: 'custom', message: 'policy has no "Statement" (an object or a list of statements)' });
  });

/** EKS refuses a session policy while session tags are on (domain.md §1a: `policy` requires disableSessionTags=true). */
export const SESSION_POLICY_NEEDS_TAGS_OFF =
  'a session policy needs session tags off (disableSessionTags: true); EKS refuses a policy together with session tags';

export const createAssociationParams = z
  .strictObject({
    ...serviceAccountTarget,
    roleArn,
    targetRoleArn: roleArn.optional(),
    disableSessionTags: z.boolean().optional(),
    policy: sessionPolicy.optional(),
    force: z.boolean().optional(),
  })
  .refine((p) => p.policy === undefined || p.disableSessionTags === true, {
    message: SESSION_POLICY_NEEDS_TAGS_OFF,
    path: ['policy'],
  });

export const updateAssociationParams = z
  .strictObject({
    cluster: clusterName,
    associationId,
    roleArn: roleArn.optional(),
    targetRoleArn: roleArn.nullable().optional(),
    disableSessionTags: z.boolean().optional(),
    /** null removes the association's session policy. */
    policy: sessionPolicy.nullable().optional(),
    force: z.boolean().optional(),
  })
  .refine((p) => p.roleArn !== undefined || p.targetRoleArn !== undefined || p.disableSessionTags !== undefined || p.policy !== undefined, {
    message: 'give at least one of roleArn, targetRoleArn, disableSessionTags or policy to change',
    path: ['roleArn'],
  })
  // With disableSessionTags left out, the plan checks the policy against the association's current setting.
  .refine((p) => typeof p.policy !== 'string' || p.disableSessionTags !== false, {
    message: SESSION_POLICY_NEEDS_TAGS_OFF,
    path: ['policy'],
  });

export const deleteAssociationParams = z.strictObject({
  cluster: clusterName,
  associationId,
  /** Must equal the association's service account name (checked against the live association). */
  confirm: z.string({ message: 'type the service account name to confirm' }).min(1, 'type the service account name to confirm'),
});

/**
 * The role, and optionally the association about to be created with it (cluster, namespace, serviceAccount;
 * create-association's trust check offers this), which the scoped statement then covers too.
 */
export const fixTrustPolicyParams = z
  .strictObject({
    roleArn,
    cluster: clusterName.optional(),
    namespace: namespaceName.optional(),
    serviceAccount: serviceAccountName.optional(),
    disableSessionTags: z.boolean().optional(),
  })
  .refine((p) => (p.namespace === undefined) === (p.serviceAccount === undefined), {
    message: 'give both namespace and serviceAccount of the association to be, or neither',
    path: ['serviceAccount'],
  })
  .refine((p) => p.namespace === undefined || p.cluster !== undefined, {
    message: 'name the cluster of that service account',
    path: ['cluster'],
  });

export const setStsRegionalEndpointsParams = z.strictObject({
  ...serviceAccountTarget,
  value: z.enum(['true', 'false'], { message: 'value is "true", "false" or null (remove the annotation)' }).nullable(),
});

export const removeIrsaAnnotationParams = z.strictObject({ ...serviceAccountTarget, force: z.boolean().optional() });

export const rollPodsParams = z.strictObject({
  ...serviceAccountTarget,
  includeBarePods: z.boolean().default(false),
  includeJobPods: z.boolean().default(false),
});

export const actionParamSchemas = {
  'create-association': createAssociationParams,
  'update-association': updateAssociationParams,
  'delete-association': deleteAssociationParams,
  'fix-trust-policy': fixTrustPolicyParams,
  'set-sts-regional-endpoints': setStsRegionalEndpointsParams,
  'remove-irsa-annotation': removeIrsaAnnotationParams,
  'roll-pods': rollPodsParams,
} as const;

/** The one list of action kinds: every other place derives from it. */
export type ActionParamSchemas = typeof actionParamSchemas;
export type ActionKind = keyof ActionParamSchemas;
export type ActionParams<K extends ActionKind> = z.output<ActionParamSchemas[K]>;

export const actionRequestSchema = z.strictObject({
  type: z.enum(Object.keys(actionParamSchemas) as [ActionKind, ...ActionKind[]], {
    message: `type is one of ${Object.keys(actionParamSchemas).join(', ')}`,
  }),
  dryRun: z.boolean({ message: 'dryRun is true (plan only) or false (apply)' }),
  params: z.record(z.string(), z.unknown(), { message: 'params is an object' }),
});

/** zod issues as `details.fields`: one message per field path. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : '_';
    if (issue.code === 'unrecognized_keys') {
      for (const unknownKey of issue.keys) fields[unknownKey] = `unknown parameter "${unknownKey}"`;
      continue;
    }
    fields[key] ??= issue.message;
  }
  return fields;
}
