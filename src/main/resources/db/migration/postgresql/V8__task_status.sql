-- PostgreSQL twin of ../sqlite/V8__task_status.sql: the last known state of durable tasks (so
-- GET /api/tasks/{id} answers across a restart), and the dead-letter flag of outbox rows.
CREATE TABLE task_status (
    task_id      TEXT    NOT NULL PRIMARY KEY,
    type         TEXT    NOT NULL,
    state        TEXT    NOT NULL,
    attempts     BIGINT  NOT NULL,
    error        TEXT,
    chat_id      TEXT,
    submitted_at BIGINT  NOT NULL,                 -- epoch milliseconds
    updated_at   BIGINT  NOT NULL                  -- epoch milliseconds
);

ALTER TABLE task_outbox ADD COLUMN dead BIGINT NOT NULL DEFAULT 0;
