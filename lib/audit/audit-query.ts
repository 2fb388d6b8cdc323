import { z } from 'zod';

export const AUDIT_ENTRY_TYPES = [
  'plan',
  'apply-intent',
  'apply-result',
  'progress',
  'refused',
  'sign-in',
  'sign-out',
  'cancel',
  'session-revoked',
] as const;

/** The audit filters as they arrive in URL search params (API and Activity page share them). */
export const auditQuerySchema = z.strictObject({
  actor: z.string().trim().min(1).optional(),
  type: z.enum(AUDIT_ENTRY_TYPES, { message: `must be one of ${AUDIT_ENTRY_TYPES.join(', ')}` }).optional(),
  cluster: z.string().trim().min(1).optional(),
  // A day (the Activity page's date picker) means from 00:00 UTC of that day.
  since: z
    .union([z.iso.datetime({ offset: true }), z.iso.date()], {
      message: 'must be an RFC 3339 time or a day, e.g. 2026-11-22T10:00:00Z or 2026-11-22',
    })
    .transform((value) => (value.length === 10 ? `${value}T00:00:00Z` : value))
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: z.coerce.number().int().min(1).optional(),
});

/** Empty params count as absent, so a submitted form with blank fields filters nothing. */
export function auditQueryFrom(params: URLSearchParams) {
  const raw: Record<string, string> = {};
  for (const [key, value] of params) if (value !== '' && key !== 'format') raw[key] = value;
  return auditQuerySchema.safeParse(raw);
}
