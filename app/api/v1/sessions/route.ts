import { z } from 'zod';
import { sessionStore } from '@/lib/auth/session-store';
import { apiRoute } from '@/lib/console/api-route';
import { forbidden } from '@/lib/http/errors';

export const dynamic = 'force-dynamic';

const sessionsQuery = z.object({ subject: z.string().trim().min(1).optional() });

/** GET /api/v1/sessions?subject=S: live sign-in sessions (admins only), newest first; never their tokens. */
export const GET = apiRoute(
  { query: (params) => sessionsQuery.safeParse({ subject: params.get('subject')?.trim() || undefined }) },
  async ({ principal, query: { subject } }) => {
    if (!principal.isAdmin) return forbidden('Only admins may list sign-in sessions.');
    return { items: await sessionStore().listLive(subject), errors: [] };
  },
);
