import { z } from 'zod';
import { recordSessionRevocation } from '@/lib/audit/audit-log';
import { sessionStore } from '@/lib/auth/session-store';
import { apiRoute } from '@/lib/console/api-route';
import { apiError, forbidden, invalidInput } from '@/lib/http/errors';

export const dynamic = 'force-dynamic';

const body = z.strictObject({
  subject: z.string().trim().min(1, 'name the user (the subject the IdP gives)'),
  reason: z.string().max(500).optional(),
});

/** POST /api/v1/sessions/revoke `{subject, reason?}`: ends every live session of that user at once (admins only; audited). */
export const POST = apiRoute({ csrf: true }, async ({ request, principal }) => {
  if (!principal.isAdmin) return forbidden('Only admins may revoke sign-in sessions.');
  let json: unknown;
  try {
    json = await request.json();
  } catch {
    return apiError(400, 'invalid-input', 'The body must be JSON: {"subject": "…"}.');
  }
  const parsed = body.safeParse(json);
  if (!parsed.success) return invalidInput(parsed.error);
  const revoked = await sessionStore().revokeSubject(parsed.data.subject);
  await recordSessionRevocation(principal, parsed.data.subject, revoked, parsed.data.reason);
  return { subject: parsed.data.subject, revoked };
});
