/**
 * A real OpenID Connect provider (oidc-provider v9) for local development, the demo and the tests.
 * Listens on 127.0.0.1 only. Users sign in with a username and password from the configured list and
 * carry `groups` (scope "groups", claim "groups"); consent is granted automatically for the configured client.
 *
 *   tsx scripts/oidc-dev-provider.ts --port 9400 --users users.json \
 *     --client-id console --client-secret dev-secret --redirect-uri http://127.0.0.1:3000/auth/callback
 *
 * users.json: [{ "username": "ann", "password": "ann-pass", "name": "Ann", "email": "ann@example.com", "groups": ["payments"] }]
 * Prints `oidc-dev-provider ready issuer=http://127.0.0.1:<port>` once it accepts requests.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { z } from 'zod';

export const devUserSchema = z.strictObject({
  username: z.string().min(1),
  password: z.string().min(1),
  name: z.string().optional(),
  email: z.string().optional(),
  groups: z.array(z.string()).default([]),
});
export type DevUser = z.infer<typeof devUserSchema>;

export interface DevClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
}

export interface OidcDevProvider {
  issuer: string;
  server: Server;
  close(): Promise<void>;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function loginPage(uid: string, error?: string): string {
  return `<!doctype html><html><head><title>Sign in (dev IdP)</title></head><body>
<h1>Sign in to the local identity provider</h1>${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label>Username <input name="username" autocomplete="username" autofocus></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button></form></body></html>`;
}

/**
 * RP-initiated logout: the console sends its id_token_hint and a registered post_logout_redirect_uri, so the
 * sign-out is the signed-in user's own request; the page confirms it by itself (as Okta and Entra ID do for a
 * known client) and the browser lands on the console's signed-out page. Without scripts, one styled button.
 */
async function logoutSource(ctx: { body: unknown }, form: string): Promise<void> {
  ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Signing out</title><style>body{font:14px system-ui,sans-serif;max-width:26rem;margin:4rem auto;color:#171717}
button{font:inherit;font-weight:600;padding:.5rem 1rem;border:0;border-radius:.375rem;background:#171717;color:#fff}</style></head>
<body><h1 style="font-size:1.1rem">Signing you out of the local identity provider…</h1>${form.replace('</form>', '<input type="hidden" name="logout" value="yes"></form>')}
<noscript><button type="submit" form="op.logoutForm">Sign out</button></noscript>
<script>document.getElementById('op.logoutForm').submit()</script></body></html>`;
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startOidcDevProvider(options: { port?: number; users: DevUser[]; clients: DevClient[] }): Promise<OidcDevProvider> {
  const users = new Map(options.users.map((user) => [user.username, user]));
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // A fresh signing key per process, so no shared development key is ever trusted anywhere.
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };
  const provider = new Provider(issuer, {
    jwks: { keys: [signingKey] },
    ttl: { AccessToken: 3600, AuthorizationCode: 60, IdToken: 3600, Interaction: 600, Session: 8 * 3600, Grant: 8 * 3600 },
    clients: options.clients.map((client) => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: client.redirectUris,
      post_logout_redirect_uris: client.postLogoutRedirectUris ?? [],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    // Cookie signing keys are per process: a restart simply ends dev sessions.
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    scopes: ['openid', 'profile', 'email', 'groups', 'offline_access'],
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true, logoutSource } },
    pkce: { required: () => true },
    // Refresh tokens without offline_access, like Entra ID or Okta with refresh enabled: the console re-reads
    // a user's groups with them (issue 10).
    issueRefreshToken: (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) => client.grantTypeAllowed('refresh_token'),
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: unknown, accountId: string) => {
      const user = users.get(accountId);
      if (!user) return undefined;
      return {
        accountId,
        claims: () => ({
          sub: accountId,
          name: user.name ?? accountId,
          email: user.email,
          email_verified: Boolean(user.email),
          groups: user.groups,
        }),
      };
    },
  });
  const oidc = provider.callback();

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/interaction\/([^/?]+)(\/login)?/.exec(req.url ?? '');
    if (!match) return oidc(req, res);
    void (async () => {
      try {
        const details = await provider.interactionDetails(req, res);
        if (match[2] && req.method === 'POST') {
          const form = await formBody(req);
          const user = users.get(form.get('username') ?? '');
          if (!user || user.password !== form.get('password')) {
            res
              .writeHead(401, { 'content-type': 'text/html; charset=utf-8' })
              .end(loginPage(details.uid, 'Unknown user or wrong password.'));
            return;
          }
          await provider.interactionFinished(req, res, { login: { accountId: user.username } }, { mergeWithLastSubmission: false });
          return;
        }
        if (details.prompt.name === 'login') {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(details.uid));
          return;
        }
        // Consent for the console is implied: it is the organisation's own client.
        const accountId = details.session?.accountId;
        const clientId = String(details.params.client_id);
        if (!accountId) throw new Error('consent prompt without a signed-in account');
        const grant = new provider.Grant({ accountId, clientId });
        const missing = details.prompt.details;
        if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
        if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
        for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
          grant.addResourceScope(indicator, scopes.join(' '));
        await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
      } catch (error) {
        res
          .writeHead(400, { 'content-type': 'text/plain; charset=utf-8' })
          .end(`interaction failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    })();
  });

  return { issuer, server, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const usersFile = argument('users') ?? process.env.OIDC_DEV_USERS;
  if (!usersFile) throw new Error('pass --users <file.json> (a list of {username, password, name?, email?, groups})');
  const users = z.array(devUserSchema).safeParse(JSON.parse(readFileSync(usersFile, 'utf8')));
  if (!users.success)
    throw new Error(`${usersFile}: ${users.error.issues.map((issue) => `[${issue.path.join('.')}] ${issue.message}`).join('; ')}`);
  const redirectUri = argument('redirect-uri') ?? 'http://127.0.0.1:3000/auth/callback';
  const provider = await startOidcDevProvider({
    port: Number(argument('port') ?? process.env.OIDC_DEV_PORT ?? 9400),
    users: users.data,
    clients: [
      {
        clientId: argument('client-id') ?? 'workload-identity-console',
        clientSecret: argument('client-secret') ?? process.env.OIDC_DEV_CLIENT_SECRET ?? 'dev-client-secret',
        redirectUris: [redirectUri],
        postLogoutRedirectUris: [new URL('/signin?signedOut=1', redirectUri).href],
      },
    ],
  });
  console.log(`oidc-dev-provider ready issuer=${provider.issuer}`);
}

if (process.argv[1] && /oidc-dev-provider\.ts$/.test(process.argv[1])) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
