// Every bound on what the console reads from clusters and S3, in one place (issue 10: "everything read from
// clusters and S3 is bounded"). A source past a bound fails alone, with a reason naming the bound; it never
// takes the page down.

/**
 * Restate's partition count is a NonZeroU16: "Valid range: 1 - 65535" (restatedev/restate
 * crates/types/src/config/common.rs, `bootstrap_num_partitions` / ClusterConfigurationSeed `num_partitions`),
 * so partition ids run 0..65534. A directory named outside that range is not a Restate partition.
 */
export const RESTATE_MAX_PARTITIONS = 65_535;
export const RESTATE_MAX_PARTITION_ID = RESTATE_MAX_PARTITIONS - 1;

/** latest.json is a few hundred bytes (V2 with retained snapshots a few KB); anything past this is not one. */
export const MAX_LATEST_JSON_BYTES = 1024 * 1024;

/**
 * Pages one listing may take. S3 and IAM give up to 1,000 entries a page, EKS 100, Kubernetes the console's
 * own 500: 2,000 pages is 100,000+ entries, more than Restate's 65,535 partitions or any real cluster's list.
 */
export const MAX_LIST_PAGES = 2_000;

/** Bytes of one HTTP answer from AWS or a Kubernetes API server (one list page of 500 pods is ~1 MB). */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** Bytes of all pages of one Kubernetes listing together (a 50,000-pod cluster lists in ~87 MB). */
export const MAX_LIST_BYTES = 512 * 1024 * 1024;

/** How long one Kubernetes request may take in all, not only between two packets. */
export const KUBE_REQUEST_DEADLINE_MS = 30_000;

/** A read that went past one of the bounds above; the source it belongs to is reported unreadable. */
export class ReadLimitError extends Error {
  readonly code = 'ReadLimitExceeded';
  constructor(message: string) {
    super(message);
    this.name = 'ReadLimitExceeded';
  }
}

/**
 * Follows a listing's continuation tokens, refusing a token seen before (a server that loops would be followed
 * forever) and more than MAX_LIST_PAGES pages. `what` names the listing in the error.
 */
export class ContinuationGuard {
  private readonly seen = new Set<string>();
  private pages = 0;
  constructor(private readonly what: string) {}

  /** Call once per page fetched, with the token it returned (undefined at the end). */
  next(token: string | undefined): string | undefined {
    this.pages++;
    if (token === undefined || token === '') return undefined;
    if (this.seen.has(token)) throw new ReadLimitError(`${this.what}: the server sent the same continuation token twice (a loop)`);
    if (this.pages >= MAX_LIST_PAGES)
      throw new ReadLimitError(`${this.what}: more than ${MAX_LIST_PAGES} pages; the console stops following the listing`);
    this.seen.add(token);
    return token;
  }
}
