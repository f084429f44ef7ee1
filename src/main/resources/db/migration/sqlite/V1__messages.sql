-- Message log: every message Engram has acknowledged, user and bot alike.
-- memorized_times counts how often the graph builder sampled a message (max 2, see original-system.md §2.3).
CREATE TABLE messages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id         TEXT    NOT NULL,
    role            TEXT    NOT NULL CHECK (role IN ('user', 'assistant')),
    user_id         TEXT,
    user_name       TEXT,
    text            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,           -- epoch milliseconds
    memorized_times INTEGER NOT NULL DEFAULT 0,
    external_id     TEXT                        -- caller's own id (e.g. a LoCoMo dia_id), optional
);
CREATE INDEX idx_messages_chat_time ON messages (chat_id, created_at);
CREATE INDEX idx_messages_time ON messages (created_at);

-- Durable task outbox: a task acknowledged to a caller lives here until it finished.
CREATE TABLE task_outbox (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,  -- replay order
    task_id    TEXT    NOT NULL UNIQUE,
    type       TEXT    NOT NULL,
    chat_id    TEXT,
    payload    TEXT    NOT NULL,                   -- JSON, owned by the task package
    created_at INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0
);
