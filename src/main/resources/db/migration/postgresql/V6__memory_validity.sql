-- PostgreSQL twin of ../sqlite/V6__memory_validity.sql: same tables, columns and indexes (BIGINT for ids and
-- epoch milliseconds, BYTEA for blobs, identity columns for AUTOINCREMENT).
-- What is true now: a fact superseded by a newer one of the same speaker and attribute keeps its
-- text, gets valid_to (epoch milliseconds, the successor's created_at) and a link to its successor.
-- Both NULL for a memory that is current.
ALTER TABLE memories ADD COLUMN valid_to BIGINT;
ALTER TABLE memories ADD COLUMN superseded_by BIGINT REFERENCES memories (id);
CREATE INDEX idx_memories_superseded_by ON memories (superseded_by);
