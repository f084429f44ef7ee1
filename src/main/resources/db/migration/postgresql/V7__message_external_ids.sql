-- PostgreSQL twin of ../sqlite/V7__message_external_ids.sql: same tables, columns and indexes (BIGINT for ids and
-- epoch milliseconds, BYTEA for blobs, identity columns for AUTOINCREMENT).
-- Intake is idempotent by the caller's own message id (a OneBot message_id, an API message_id, a LoCoMo
-- dia_id): one message per (chat, external id). Older logs may hold repeats; the later copies keep their
-- text and lose the id, so the unique index can be built without dropping anything acknowledged.
UPDATE messages SET external_id = NULL
 WHERE external_id IS NOT NULL
   AND id NOT IN (SELECT MIN(id) FROM messages WHERE external_id IS NOT NULL GROUP BY chat_id, external_id);
CREATE UNIQUE INDEX idx_messages_chat_external ON messages (chat_id, external_id) WHERE external_id IS NOT NULL;
