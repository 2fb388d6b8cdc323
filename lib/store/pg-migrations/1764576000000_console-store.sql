-- Up Migration
-- The console's store on PostgreSQL (lib/store/pg-store.ts): the audit trail (append-only), sessions, and jobs.
-- Run at start by node-pg-migrate (under its advisory lock, so replicas starting together run it once).

CREATE TABLE audit_entries (
  id BIGSERIAL PRIMARY KEY,
  time TEXT NOT NULL,
  actor_subject TEXT NOT NULL,
  actor_groups TEXT NOT NULL,
  actor_via TEXT NOT NULL,
  type TEXT NOT NULL,
  action_type TEXT,
  cluster TEXT,
  namespace TEXT,
  service_account TEXT,
  role_arn TEXT,
  association_id TEXT,
  request TEXT,
  outcome TEXT NOT NULL,
  result TEXT,
  error TEXT,
  correlation_id TEXT,
  boot_id TEXT NOT NULL
);
CREATE INDEX audit_entries_correlation ON audit_entries (correlation_id, id);
CREATE INDEX audit_entries_actor ON audit_entries (actor_subject, id);
CREATE INDEX audit_entries_cluster ON audit_entries (cluster, id);
CREATE INDEX audit_entries_scope ON audit_entries (cluster, namespace, id);
CREATE INDEX audit_entries_actor_via ON audit_entries (actor_subject, actor_via, id);
-- Only one apply-result per action, whichever replica writes it.
CREATE UNIQUE INDEX audit_entries_one_result ON audit_entries (correlation_id) WHERE type = 'apply-result';
-- Every (cluster, namespace) an entry targets ('' = cluster-level), for scoped reads.
CREATE TABLE audit_scopes (cluster TEXT NOT NULL, namespace TEXT NOT NULL, PRIMARY KEY (cluster, namespace));

CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit entries are append-only: % refused', TG_OP;
END;
$$;
CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
  FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only();
CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
  FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only();

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  subject TEXT NOT NULL,
  email TEXT,
  name TEXT,
  groups TEXT NOT NULL,
  id_token TEXT,
  refresh_token TEXT,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  groups_read_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX sessions_subject ON sessions (subject, revoked_at);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  owner TEXT NOT NULL,
  lease_until TIMESTAMPTZ NOT NULL,
  cancel_requested BOOLEAN NOT NULL DEFAULT false,
  record JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX jobs_running ON jobs (lease_until) WHERE status = 'running';
CREATE INDEX jobs_owner ON jobs (owner) WHERE status = 'running';
CREATE INDEX jobs_kind ON jobs (kind, created_at);

-- Down Migration
DROP TABLE jobs;
DROP TABLE sessions;
DROP TABLE audit_scopes;
DROP TABLE audit_entries;
DROP FUNCTION audit_entries_append_only();
