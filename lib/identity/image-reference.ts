// Container image references (`registry/repo:tag@digest`) and version tags, for the SDK table (PI009).
// Grammar: distribution/reference — a first component with a `.` or `:` or equal to `localhost` is a
// registry; Docker Hub images have no registry and single-name images live under `library/`.

export interface ImageReference {
  registry: string;
  repository: string;
  tag: string | null;
  digest: string | null;
  /** registry/repository, the key the SDK table uses. */
  normalized: string;
}

const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

export function parseImageReference(image: string): ImageReference | null {
  const ref = image.trim();
  if (!ref || /\s/.test(ref)) return null;
  let rest = ref;
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | null = null;
  const lastSlash = rest.lastIndexOf('/');
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > lastSlash) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
  }
  if (!rest) return null;
  const parts = rest.split('/');
  let registry = 'docker.io';
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) {
    registry = parts.shift()!.toLowerCase();
  }
  if (DOCKER_HUB_ALIASES.has(registry)) registry = 'docker.io';
  let repository = parts.join('/');
  if (registry === 'docker.io' && parts.length === 1) repository = `library/${repository}`;
  return { registry, repository, tag: tag || null, digest, normalized: `${registry}/${repository}` };
}

export interface ParsedVersion {
  numbers: number[];
  prerelease: string | null;
}

/** A semver-ish tag: optional `v`, dot-separated numbers, optional `-prerelease`/`+build`. Null otherwise. */
export function parseVersionTag(tag: string): ParsedVersion | null {
  const m = /^v?(\d+(?:\.\d+){0,3})(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(tag.trim());
  if (!m) return null;
  return { numbers: m[1].split('.').map(Number), prerelease: m[2] ?? null };
}

/** Negative when a < b, 0 when equal, positive when a > b. A prerelease sorts before its release. */
export function compareVersions(a: ParsedVersion, b: ParsedVersion): number {
  const n = Math.max(a.numbers.length, b.numbers.length, 3);
  for (let i = 0; i < n; i++) {
    const d = (a.numbers[i] ?? 0) - (b.numbers[i] ?? 0);
    if (d !== 0) return d;
  }
  if (a.prerelease === b.prerelease) return 0;
  if (a.prerelease === null) return 1;
  if (b.prerelease === null) return -1;
  return a.prerelease < b.prerelease ? -1 : 1;
}
