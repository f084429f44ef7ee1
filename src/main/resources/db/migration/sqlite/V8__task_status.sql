-- Last known state of durable tasks, so GET /api/tasks/{id} answers across a restart. Written by the task
-- engine in the same transaction as the outbox change it reports (a finished task's row deletion, an
-- attempt count). Task ids sort by creation time within a type, so the primary key alone serves the
-- pruning of old rows (by id range); WITHOUT ROWID keeps one b-tree per table, which keeps the durable
-- path fast. States are the engine's upper-case names.
CREATE TABLE task_status (
    task_id      TEXT    NOT NULL PRIMARY KEY,
    type         TEXT    NOT NULL,
    state        TEXT    NOT NULL,
    attempts     INTEGER NOT NULL,
    error        TEXT,
    chat_id      TEXT,
    submitted_at INTEGER NOT NULL,                 -- epoch milliseconds
    updated_at   INTEGER NOT NULL                  -- epoch milliseconds
) WITHOUT ROWID;

-- Dead letters (durable tasks that failed for good) keep their outbox row, so they can be retried, but are
-- no longer work: dead = 1 rows are skipped by replay and not counted as in the outbox.
ALTER TABLE task_outbox ADD COLUMN dead INTEGER NOT NULL DEFAULT 0;
