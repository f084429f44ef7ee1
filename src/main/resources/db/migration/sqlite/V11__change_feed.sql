-- SQLite twin of ../postgresql/V11__change_feed.sql, for schema parity only: cluster mode (several instances
-- following one database's change feed) is PostgreSQL-only, so SQLite has the tables but no triggers and
-- never pays for logging changes.
CREATE TABLE change_log (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    kind    TEXT    NOT NULL,
    chat_id TEXT,
    ref_id  INTEGER,
    origin  TEXT,
    at      INTEGER NOT NULL
);
CREATE INDEX idx_change_log_at ON change_log (at);

CREATE TABLE change_log_horizon (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    pruned_below INTEGER NOT NULL,
    enabled      INTEGER NOT NULL DEFAULT 0
);
INSERT INTO change_log_horizon (id, pruned_below) VALUES (1, 0);
