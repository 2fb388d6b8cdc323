import type { PatternPiece } from './wildcard';

// IAM policy variables (IAM user guide, reference_policies_variables): `${key}` in a Resource or a condition
// value is replaced by the request's value of that condition key before matching.
// - `${*}`, `${?}` and `${$}` stand for a literal `*`, `?` and `$` ("Special characters").
// - `${key, 'default'}` uses the default when the key has no value; `''` inside it is one quote
//   ("Specifying default values").
// - A key with no value (absent, or multi-valued) makes the value "effectively null": it equals and is like
//   nothing, so a positive operator does not match, a negated one does, and a Resource holding it matches no
//   resource ("Policy variables with no value").
// - Substituted values are literal text: a `*` in a tag value is not a wildcard.
// - Substitution is one pass: a `${…}` inside a substituted value or default stays as it is.

export type VariablePart =
  { kind: 'text'; text: string } | { kind: 'literal'; text: string } | { kind: 'variable'; key: string; fallback?: string };

const ESCAPES: Record<string, string> = { '*': '*', '?': '?', $: '$' };

/** Splits a policy string into text and `${…}` parts. An unterminated `${` is plain text. */
export function parseVariables(value: string): VariablePart[] {
  const parts: VariablePart[] = [];
  let text = '';
  let i = 0;
  while (i < value.length) {
    const open = value.indexOf('${', i);
    if (open < 0) break;
    const close = findClose(value, open + 2);
    if (close < 0) break;
    text += value.slice(i, open);
    const inner = value.slice(open + 2, close);
    const escaped = ESCAPES[inner];
    if (text) parts.push({ kind: 'text', text });
    text = '';
    if (escaped !== undefined) parts.push({ kind: 'literal', text: escaped });
    else {
      const m = /^\s*([^,\s]+)\s*(?:,\s*'((?:[^']|'')*)'\s*)?$/.exec(inner);
      if (m) parts.push({ kind: 'variable', key: m[1], ...(m[2] !== undefined ? { fallback: m[2].replace(/''/g, "'") } : {}) });
      // Not a well-formed variable: IAM leaves it as text.
      else parts.push({ kind: 'text', text: value.slice(open, close + 1) });
    }
    i = close + 1;
  }
  text += value.slice(i);
  if (text) parts.push({ kind: 'text', text });
  return parts;
}

/** The index of the `}` closing a variable that starts at `from`, skipping quoted defaults. */
function findClose(value: string, from: number): number {
  let quoted = false;
  for (let i = from; i < value.length; i++) {
    const c = value[i];
    if (c === "'") quoted = !quoted;
    else if (c === '}' && !quoted) return i;
  }
  return -1;
}

export function hasVariables(value: string): boolean {
  return value.includes('${');
}

/** A key's value as far as the console knows it. */
export type VariableValue = { kind: 'present'; values: string[] } | { kind: 'absent' } | { kind: 'unknown'; note: string };

export type ResolvedPattern =
  { kind: 'resolved'; pieces: PatternPiece[] } | { kind: 'no-value'; key: string } | { kind: 'unknown'; key: string; note: string };

/** Substitutes every variable of `value`. Text outside variables keeps its wildcards; substituted text is literal. */
export function resolveVariables(value: string, lookup: (key: string) => VariableValue): ResolvedPattern {
  if (!hasVariables(value)) return { kind: 'resolved', pieces: [{ text: value, literal: false }] };
  const pieces: PatternPiece[] = [];
  for (const part of parseVariables(value)) {
    if (part.kind === 'text') pieces.push({ text: part.text, literal: false });
    else if (part.kind === 'literal') pieces.push({ text: part.text, literal: true });
    else {
      const found = lookup(part.key);
      if (found.kind === 'present' && found.values.length === 1) pieces.push({ text: found.values[0], literal: true });
      else if (found.kind === 'unknown') return { kind: 'unknown', key: part.key, note: found.note };
      else if (part.fallback !== undefined) pieces.push({ text: part.fallback, literal: true });
      else return { kind: 'no-value', key: part.key };
    }
  }
  return { kind: 'resolved', pieces };
}

/** The resolved text with no wildcard meaning (for StringEquals and friends, where `*` is literal anyway). */
export function piecesText(pieces: PatternPiece[]): string {
  return pieces.map((piece) => piece.text).join('');
}

/** Every `${…}` key a policy string refers to (for PM002: tests of EKS session tags). */
export function variableKeys(value: string): string[] {
  if (!hasVariables(value)) return [];
  return parseVariables(value).flatMap((part) => (part.kind === 'variable' ? [part.key] : []));
}
