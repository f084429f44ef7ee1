-- Schema twin of ../postgresql/V10__work_queue.sql (same tables and columns). Cluster mode, which uses
-- them, is PostgreSQL-only: on SQLite the columns stay NULL and the table empty, so no indexes here (they
-- would only slow the single-instance outbox).
ALTER TABLE task_outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE task_outbox ADD COLUMN claim_seq INTEGER;

CREATE TABLE work_leases (
    name       TEXT    NOT NULL PRIMARY KEY,
    owner      TEXT    NOT NULL,
    expires_at INTEGER NOT NULL,                   -- epoch milliseconds
    token      INTEGER NOT NULL
) WITHOUT ROWID;
