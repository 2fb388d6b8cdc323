import { z } from 'zod';

// The question the reverse lookup, GET /api/v1/access and the "Can it…?" box ask (api.md "Permissions"):
// an IAM action and a resource ARN, optionally narrowed to a cluster and namespace. One parser for the page's
// URL, the API's query string and the SA page's box, so they accept and refuse the same input.

/** service:Action, with IAM's wildcards (Service Authorization Reference: the prefix is lowercase letters, digits, -). */
const ACTION = /^[a-z0-9-]+:[A-Za-z0-9*?]+$/;
/** An ARN (arn:partition:service:region:account:resource) or "*". */
const RESOURCE = /^(\*|arn:[a-z-]+:[a-z0-9-]+:[a-z0-9-]*:(\d{12}|aws)?:.+)$/;

export const accessQuestionSchema = z.strictObject({
  action: z
    .string({ error: 'required' })
    .trim()
    .min(1, 'required')
    .max(128, 'at most 128 characters')
    .regex(ACTION, 'an IAM action such as s3:PutObject'),
  resource: z
    .string({ error: 'required' })
    .trim()
    .min(1, 'required')
    .max(2048, 'at most 2,048 characters')
    .regex(RESOURCE, 'a resource ARN such as arn:aws:s3:::bucket/key, or *'),
  cluster: z.string().trim().max(253).optional(),
  namespace: z.string().trim().max(63).optional(),
});

export type AccessQuestion = z.output<typeof accessQuestionSchema>;

const KEYS = ['action', 'resource', 'cluster', 'namespace'] as const;

/** The question from a query string; empty values count as absent. */
export function parseAccessQuestion(params: URLSearchParams | Record<string, string | string[] | undefined>) {
  const input: Record<string, string> = {};
  for (const key of KEYS) {
    const raw = params instanceof URLSearchParams ? params.get(key) : params[key];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value !== null && value !== undefined && value.trim() !== '') input[key] = value;
  }
  return { input, result: accessQuestionSchema.safeParse(input) };
}

/** The share-by-URL form of a question. */
export function accessPath(question: Partial<Record<(typeof KEYS)[number], string>>): string {
  const search = new URLSearchParams();
  for (const key of KEYS) if (question[key]) search.set(key, question[key]);
  const text = search.toString();
  return `/access${text ? `?${text}` : ''}`;
}
