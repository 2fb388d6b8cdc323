// Jobs that outlive a request (action rolls, migration jobs): one row each in the console's store, claimed by
// the replica that runs it and kept alive by its heartbeat (a lease). Any replica reads a job and requests its
// cancel; when a replica dies its lease runs out, and another replica claims the job (row locks, so only one
// does) and either resumes it or ends it `unknown outcome` with what is known.
//
// The store knows nothing of what a job does: `record` is the caller's JSON (an ActionRecord for actions) and
// `kind` tells the callers apart ('action', 'migration', ...).

export type StoredJobStatus = 'running' | 'succeeded' | 'failed' | 'stuck' | 'cancelled' | 'unknown outcome';

export interface StoredJob<R = unknown> {
  id: string;
  kind: string;
  status: StoredJobStatus;
  /** The replica (its store replicaId) that runs the job. */
  owner: string;
  leaseUntil: string;
  /** The lease ran out: the owner stopped renewing it (as the store's clock saw it when reading). */
  leaseExpired: boolean;
  cancelRequested: boolean;
  record: R;
  createdAt: string;
  updatedAt: string;
}

export interface JobStore {
  /** Stores a new job, claimed by `owner` with a lease of leaseMs. Fails when the id exists. */
  create<R>(job: { id: string; kind: string; owner: string; record: R; leaseMs: number }): Promise<void>;
  get<R = unknown>(id: string): Promise<StoredJob<R> | undefined>;
  /** Newest first. */
  list<R = unknown>(filter?: { kind?: string; status?: StoredJobStatus; limit?: number }): Promise<StoredJob<R>[]>;
  /**
   * The owner writes the job's latest record (progress, or its end with a status other than running). False when
   * the job is not, or no longer, this owner's running job (another replica took it over, or it ended).
   */
  save<R>(id: string, owner: string, status: StoredJobStatus, record: R): Promise<boolean>;
  /** Renews the lease of every running job of `owner`; returns their ids and those whose cancel was requested. */
  heartbeat(owner: string, leaseMs: number): Promise<{ renewed: string[]; cancelRequested: string[] }>;
  /** Any replica: asks the owner to stop. False when the job is not running. */
  requestCancel(id: string): Promise<boolean>;
  /**
   * Claims running jobs whose lease ran out (at most `limit`), for `claimant` with a fresh lease. Each is locked
   * while claimed, so two replicas never claim the same job; the claimant then resumes it or ends it with save().
   */
  claimExpired<R = unknown>(claimant: string, leaseMs: number, limit?: number): Promise<StoredJob<R>[]>;
}
