// The one wildcard matcher of the console: IAM's `*` (any run of characters) and `?` (exactly one), used by
// Action/Resource matching, StringLike/ArnLike, and the namespace patterns of team scopes (lib/auth/glob.ts).
//
// It runs in time linear in the value, whatever the pattern: a backtracking regex (`^.*a.*a.*a…$`) takes
// polynomial or worse time on a long value, and patterns come from policies and config we do not write.
// The pattern is split at its `*`s into segments; the first must match at the start, the last at the end,
// and each middle one is found leftmost after the previous (greedy leftmost is exact for `*`-separated
// segments). Finding a segment that contains `?` uses the bit-parallel Shift-And algorithm, one pass over the
// value per segment search, resuming where the previous one ended: O(|value| · ⌈|segment|/32⌉) in all.

/** A `?` in a segment. Code units are ≥ 0. */
const ANY_ONE = -1;

/** Text of a pattern: wildcard text (where `*` and `?` are special) or literal text (from a policy variable or `${*}`). */
export interface PatternPiece {
  text: string;
  literal: boolean;
}

class Segment {
  readonly units: Int32Array;
  private table: { words: number; ascii: Uint32Array; other: Map<number, Uint32Array>; any: Uint32Array } | undefined;

  constructor(units: number[]) {
    this.units = Int32Array.from(units);
  }

  get length(): number {
    return this.units.length;
  }

  /** Does the segment match `value` at `at` exactly (no search)? */
  matchesAt(value: string, at: number): boolean {
    const units = this.units;
    for (let j = 0; j < units.length; j++) {
      const unit = units[j];
      if (unit !== ANY_ONE && value.charCodeAt(at + j) !== unit) return false;
    }
    return true;
  }

  /** The leftmost start ≥ from of a match lying wholly before `end`, or -1. */
  find(value: string, from: number, end: number): number {
    const m = this.units.length;
    if (m === 0) return from;
    if (end - from < m) return -1;
    const t = this.masks();
    const words = t.words;
    const state = new Uint32Array(words);
    const lastWord = (m - 1) >>> 5;
    const lastBit = 1 << ((m - 1) & 31);
    for (let i = from; i < end; i++) {
      const c = value.charCodeAt(i);
      let mask: Uint32Array;
      let base = 0;
      if (c < 128) {
        mask = t.ascii;
        base = c * words;
      } else mask = t.other.get(c) ?? t.any;
      let carry = 1;
      for (let w = 0; w < words; w++) {
        const d = state[w];
        state[w] = ((d << 1) | carry) & mask[base + w];
        carry = d >>> 31;
      }
      if (state[lastWord] & lastBit) return i - m + 1;
    }
    return -1;
  }

  private masks() {
    if (this.table) return this.table;
    const m = this.units.length;
    const words = Math.max(1, Math.ceil(m / 32));
    const any = new Uint32Array(words);
    this.units.forEach((unit, j) => {
      if (unit === ANY_ONE) any[j >>> 5] |= 1 << (j & 31);
    });
    const ascii = new Uint32Array(128 * words);
    for (let c = 0; c < 128; c++) ascii.set(any, c * words);
    const other = new Map<number, Uint32Array>();
    this.units.forEach((unit, j) => {
      if (unit === ANY_ONE) return;
      if (unit < 128) ascii[unit * words + (j >>> 5)] |= 1 << (j & 31);
      else {
        let mask = other.get(unit);
        if (!mask) other.set(unit, (mask = Uint32Array.from(any)));
        mask[j >>> 5] |= 1 << (j & 31);
      }
    });
    this.table = { words, ascii, other, any };
    return this.table;
  }
}

export class WildcardPattern {
  private constructor(
    private readonly segments: Segment[],
    readonly ignoreCase: boolean,
  ) {}

  static compile(pattern: string | PatternPiece[], ignoreCase = false): WildcardPattern {
    const pieces = typeof pattern === 'string' ? [{ text: pattern, literal: false }] : pattern;
    const segments: number[][] = [[]];
    for (const piece of pieces) {
      const text = ignoreCase ? piece.text.toLowerCase() : piece.text;
      for (let i = 0; i < text.length; i++) {
        const unit = text.charCodeAt(i);
        if (!piece.literal && unit === 42 /* * */) segments.push([]);
        else if (!piece.literal && unit === 63 /* ? */) segments[segments.length - 1].push(ANY_ONE);
        else segments[segments.length - 1].push(unit);
      }
    }
    return new WildcardPattern(
      segments.map((units) => new Segment(units)),
      ignoreCase,
    );
  }

  /** Whether the whole value matches. `?` matches one UTF-16 code unit. */
  matches(input: string): boolean {
    const value = this.ignoreCase ? input.toLowerCase() : input;
    const segments = this.segments;
    const first = segments[0];
    if (segments.length === 1) return value.length === first.length && first.matchesAt(value, 0);
    const last = segments[segments.length - 1];
    if (value.length < first.length + last.length) return false;
    if (!first.matchesAt(value, 0) || !last.matchesAt(value, value.length - last.length)) return false;
    let position = first.length;
    const end = value.length - last.length;
    for (let k = 1; k < segments.length - 1; k++) {
      const segment = segments[k];
      if (segment.length === 0) continue;
      const start = segment.find(value, position, end);
      if (start < 0) return false;
      position = start + segment.length;
    }
    return true;
  }
}

const compiled = new Map<string, WildcardPattern>();

/** The compiled pattern, cached: policies are evaluated again and again with the same patterns. */
export function compileWildcard(pattern: string | PatternPiece[], ignoreCase = false): WildcardPattern {
  // A plain string and a single wildcard piece are the same pattern; pieces with literal text are keyed apart.
  const plain = typeof pattern === 'string' ? pattern : pattern.length === 1 && !pattern[0].literal ? pattern[0].text : undefined;
  const key =
    (ignoreCase ? 'i:' : 's:') +
    (plain !== undefined
      ? `t:${plain}`
      : `p:${JSON.stringify((pattern as PatternPiece[]).map((piece) => [piece.literal ? 1 : 0, piece.text]))}`);
  let p = compiled.get(key);
  if (!p) {
    p = WildcardPattern.compile(pattern, ignoreCase);
    // Patterns come from a bounded set of policies and config; the cap keeps a hostile input from growing it.
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(key, p);
  }
  return p;
}

/** IAM wildcard match of a whole value: `*` any run of characters, `?` exactly one; everything else literal. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  return compileWildcard(pattern, ignoreCase).matches(value);
}
