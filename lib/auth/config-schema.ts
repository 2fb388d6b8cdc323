import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * The auth and teams sections of the console config file (CONSOLE_CONFIG, YAML).
 * Every object is strict so a misspelt key is an error naming its path, not a silently ignored setting.
 */

const nonEmpty = z.string().trim().min(1, 'must not be empty');

/** An IPv4/IPv6 address or CIDR block, e.g. 10.0.0.0/8. */
const addressOrCidr = nonEmpty.refine((value) => {
  const [address, bits, extra] = value.split('/');
  if (extra !== undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}, 'must be an IP address or a CIDR block such as 10.0.0.0/8');

const oidcSchema = z
  .strictObject({
    issuer: z.url('must be the issuer URL'),
    clientId: nonEmpty,
    clientSecret: nonEmpty.optional(),
    clientSecretEnv: nonEmpty.optional(),
    scopes: z.array(nonEmpty).min(1).default(['openid', 'profile', 'email', 'groups']),
    groupsClaim: nonEmpty.default('groups'),
    /** The console's public base URL; the redirect URL defaults to <baseUrl>/auth/callback. */
    baseUrl: z.url().optional(),
    redirectUrl: z.url().optional(),
  })
  .refine((oidc) => oidc.scopes.includes('openid'), { message: "scopes must include 'openid'", path: ['scopes'] });

// ALB load balancer ARN, e.g. arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/console/50dc6c495c0c9188
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-authenticate-users.html#user-claims-encoding)
const albArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/app\/[^/]+\/[0-9a-f]+$/,
    'must be the ALB ARN (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>)',
  );

const proxySchema = z
  .strictObject({
    type: z.enum(['alb', 'oauth2-proxy']),
    alb: z
      .strictObject({
        region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1'),
        expectedSigner: albArn,
        publicKeyBaseUrl: z.url().optional(),
        groupsClaim: nonEmpty.default('groups'),
      })
      .optional(),
    oauth2Proxy: z
      .strictObject({
        trustedProxies: z.array(addressOrCidr).min(1, 'list at least one trusted proxy address'),
        userHeader: nonEmpty.default('x-forwarded-user'),
        groupsHeader: nonEmpty.default('x-forwarded-groups'),
        emailHeader: nonEmpty.default('x-forwarded-email'),
      })
      .optional(),
  })
  .superRefine((proxy, ctx) => {
    if (proxy.type === 'alb' && !proxy.alb)
      ctx.addIssue({ code: 'custom', message: "proxy.type 'alb' needs an alb section", path: ['alb'] });
    if (proxy.type === 'oauth2-proxy' && !proxy.oauth2Proxy)
      ctx.addIssue({ code: 'custom', message: "proxy.type 'oauth2-proxy' needs an oauth2Proxy section", path: ['oauth2Proxy'] });
  });

const roleSchema = z.enum(['viewer', 'operator']);

const apiTokenSchema = z.strictObject({
  sha256: z.string().regex(/^[0-9a-f]{64}$/i, 'must be the hex SHA-256 of the token (64 hex characters)'),
  subject: nonEmpty,
  team: nonEmpty.optional(),
  /** 'admin' grants everything, like an admins group. */
  role: z.enum(['viewer', 'operator', 'admin']),
});

const demoUserSchema = z.strictObject({
  username: nonEmpty,
  name: nonEmpty.optional(),
  team: nonEmpty,
  role: z.enum(['viewer', 'operator', 'admin']),
  passwordHint: nonEmpty,
});

export const authConfigSchema = z
  .strictObject({
    mode: z.enum(['oidc', 'proxy', 'none']),
    /**
     * The console's public URL (e.g. https://console.example.com). Requests naming another Host get 421
     * (DNS rebinding); https here turns on HSTS and __Host- cookies. Defaults to oidc.baseUrl.
     */
    publicUrl: z.url().optional(),
    oidc: oidcSchema.optional(),
    proxy: proxySchema.optional(),
    session: z
      .strictObject({
        secret: z.string().min(32, 'must be at least 32 characters').optional(),
        secretEnv: nonEmpty.optional(),
        maxAgeSeconds: z
          .number()
          .int()
          .min(60)
          .max(7 * 24 * 3600)
          .default(8 * 3600),
        /**
         * Groups are read from the IdP again (refresh token, else a new sign-in) once they are this old, so a
         * user removed from a group loses its scope then. At most 900 s by default.
         */
        groupsRefreshSeconds: z
          .number()
          .int()
          .min(1)
          .max(24 * 3600)
          .default(900),
      })
      .optional(),
    apiTokens: z.array(apiTokenSchema).default([]),
    /** Shown on the sign-in page; for the demo only. */
    demoUsers: z.array(demoUserSchema).optional(),
  })
  .superRefine((auth, ctx) => {
    if (auth.mode === 'oidc') {
      if (!auth.oidc) ctx.addIssue({ code: 'custom', message: "mode 'oidc' needs an oidc section", path: ['oidc'] });
      else if (!auth.oidc.clientSecret && !auth.oidc.clientSecretEnv)
        ctx.addIssue({ code: 'custom', message: 'set clientSecret or clientSecretEnv', path: ['oidc', 'clientSecret'] });
      else if (!auth.oidc.baseUrl && !auth.oidc.redirectUrl)
        ctx.addIssue({ code: 'custom', message: 'set baseUrl (or redirectUrl) so the IdP can send users back', path: ['oidc', 'baseUrl'] });
      if (!auth.session?.secret && !auth.session?.secretEnv)
        ctx.addIssue({
          code: 'custom',
          message: "mode 'oidc' needs session.secret or session.secretEnv to encrypt the session cookie",
          path: ['session'],
        });
    }
    if (auth.mode === 'proxy' && !auth.proxy)
      ctx.addIssue({ code: 'custom', message: "mode 'proxy' needs a proxy section", path: ['proxy'] });
    if (auth.mode === 'proxy' && !auth.publicUrl)
      ctx.addIssue({
        code: 'custom',
        message: "mode 'proxy' needs publicUrl (the URL users reach the console at); other Host headers are refused",
        path: ['publicUrl'],
      });
    if (auth.publicUrl) {
      const url = new URL(auth.publicUrl);
      if (url.pathname !== '/' || url.search || url.hash || url.username)
        ctx.addIssue({ code: 'custom', message: 'must be an origin such as https://console.example.com (no path)', path: ['publicUrl'] });
    }
    const seen = new Set<string>();
    auth.apiTokens.forEach((token, index) => {
      const digest = token.sha256.toLowerCase();
      if (seen.has(digest))
        ctx.addIssue({ code: 'custom', message: 'the same token hash is listed twice', path: ['apiTokens', index, 'sha256'] });
      seen.add(digest);
      if (token.role !== 'admin' && !token.team)
        ctx.addIssue({ code: 'custom', message: 'a non-admin token needs a team', path: ['apiTokens', index, 'team'] });
    });
  });

const globPattern = nonEmpty.regex(/^[A-Za-z0-9*?._-]+$/, 'may contain letters, digits, . _ - and the wildcards * ?');

/** An IAM role ARN pattern, e.g. arn:aws:iam::111122223333:role/payments-* (IAM's role-name characters, paths, * and ?). */
const roleArnPattern = nonEmpty.regex(
  /^arn:(aws[a-z-]*|\*):iam::[\d*?]+:role\/[\w+=,.@/*?-]+$/,
  'must be an IAM role ARN pattern such as arn:aws:iam::111122223333:role/payments-* (wildcards * and ?)',
);

export const teamsConfigSchema = z.strictObject({
  teams: z
    .array(
      z.strictObject({
        name: nonEmpty,
        groups: z.array(nonEmpty).default([]),
        clusters: z.array(
          z.strictObject({
            cluster: globPattern,
            namespaces: z.array(globPattern).min(1, "list namespace patterns ('*' for all)"),
            role: roleSchema,
            /**
             * The IAM roles an operator may bind (create/update-association roleArn and targetRoleArn) and whose
             * trust policies it may fix here: ARN patterns with * and ?. None listed: may bind none.
             */
            roles: z.array(roleArnPattern).default([]),
            /** Tags every bindable role must also carry (all of them, exact values). */
            roleTags: z.record(nonEmpty, z.string()).optional(),
          }),
        ),
      }),
    )
    .default([])
    .superRefine((teams, ctx) => {
      const names = new Set<string>();
      teams.forEach((team, index) => {
        if (names.has(team.name)) ctx.addIssue({ code: 'custom', message: `team '${team.name}' is defined twice`, path: [index, 'name'] });
        names.add(team.name);
      });
    }),
  admins: z.strictObject({ groups: z.array(nonEmpty).default([]) }).default({ groups: [] }),
});

export type AuthConfig = z.infer<typeof authConfigSchema>;
export type TeamsConfig = z.infer<typeof teamsConfigSchema>;

/** One line per problem, each naming the config path, e.g. "auth.oidc.issuer: must be the issuer URL". */
export function formatConfigIssues(error: z.ZodError, prefix: string): string {
  return error.issues.map((issue) => `${[prefix, ...issue.path].filter((part) => part !== '').join('.')}: ${issue.message}`).join('\n');
}
