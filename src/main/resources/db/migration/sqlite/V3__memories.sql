-- Instant memories: what the LLM (or the offline provider) judged worth remembering.
-- keywords and message_ids are JSON arrays (fixes the original's list-bound-to-Text bug, D-I1).
-- content_hash is the SHA-256 of the normalised text, for de-duplication within a chat.
-- source_key identifies the store task that wrote the memory (its message ids), so a replayed
-- task never writes a second memory; NULL for memories written outside the store pipeline.
CREATE TABLE memories (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id      TEXT    NOT NULL,
    text         TEXT    NOT NULL,
    keywords     TEXT    NOT NULL DEFAULT '[]',   -- JSON array of strings
    message_ids  TEXT    NOT NULL DEFAULT '[]',   -- JSON array of message ids (provenance)
    created_at   INTEGER NOT NULL,                -- epoch milliseconds (newest source message)
    content_hash TEXT    NOT NULL,
    source_key   TEXT
);
CREATE INDEX idx_memories_chat_time ON memories (chat_id, created_at);
CREATE INDEX idx_memories_chat_hash ON memories (chat_id, content_hash);
CREATE UNIQUE INDEX uq_memories_chat_source ON memories (chat_id, source_key);

-- Normalised search terms of each memory (keywords and text tokens) for keyword recall
-- without a table scan: the instant source reads, per query term, the newest postings of the
-- chat in a time range (an index range scan, bounded however common the term is).
CREATE TABLE memory_terms (
    chat_id    TEXT    NOT NULL,
    term       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,                  -- the memory's created_at, for range scans
    memory_id  INTEGER NOT NULL REFERENCES memories (id) ON DELETE CASCADE,
    PRIMARY KEY (chat_id, term, created_at, memory_id)
) WITHOUT ROWID;
CREATE INDEX idx_memory_terms_memory ON memory_terms (memory_id);
