import { z } from 'zod';

// URL filter values: comma-separated lists ("prod,staging") select rows matching any of the values.

/** Any values. */
export const commaList = z
  .string()
  .trim()
  .transform((value) =>
    value
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  )
  .optional();

/** Values from a fixed vocabulary; an unknown one is an error that names it and lists what is allowed. */
export function commaListOf<T extends string>(allowed: readonly T[], what: string) {
  return z
    .string()
    .trim()
    .transform((value, ctx) => {
      const parts = value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean);
      const bad = parts.filter((part) => !(allowed as readonly string[]).includes(part));
      if (bad.length)
        ctx.addIssue({
          code: 'custom',
          message: `unknown ${what} ${bad.map((b) => `"${b}"`).join(', ')}; expected one of ${allowed.join(', ')}`,
        });
      return parts as T[];
    })
    .optional();
}
