-- PostgreSQL twin of ../sqlite/V4__embeddings.sql: same tables, columns and indexes (BIGINT for ids and
-- epoch milliseconds, BYTEA for blobs, identity columns for AUTOINCREMENT).
-- Embeddings of messages and instant memories, kept so the derived vector index can be rebuilt
-- without running the embedding model again. One row per item and model: switching models keeps
-- the old rows (switching back reuses them) and embeds afresh under the new model id.
CREATE TABLE embeddings (
    item_kind  TEXT    NOT NULL CHECK (item_kind IN ('message', 'memory')),
    item_id    BIGINT NOT NULL,             -- messages.id or the instant memory's id
    chat_id    TEXT    NOT NULL,
    model_id   TEXT    NOT NULL,             -- e.g. bge-small-zh-v1.5-q
    dims       BIGINT NOT NULL CHECK (dims > 0),
    vector     BYTEA    NOT NULL,             -- dims float32 values, little-endian, L2-normalised
    created_at BIGINT NOT NULL,             -- epoch ms when the item was said or written; retention follows it
    PRIMARY KEY (item_kind, item_id, model_id)
);
CREATE INDEX idx_embeddings_kind_time ON embeddings (item_kind, created_at);
