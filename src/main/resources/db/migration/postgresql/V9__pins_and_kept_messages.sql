-- PostgreSQL twin of ../sqlite/V9__pins_and_kept_messages.sql: same column (an integer flag, as there) and index.
-- A pinned memory is one its owner asked to keep: maintenance (index retention, graph forgetting and
-- consolidation) never leaves it out of recall. 1 = pinned, 0 = not.
ALTER TABLE memories ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;
CREATE INDEX idx_memories_pinned ON memories (pinned) WHERE pinned = 1;

-- A message whose speaker or chat was forgotten while [memory] forget_keeps_messages = true: the row stays
-- in the log, but nothing memorises, indexes or samples it again. 1 = forgotten, 0 = not.
ALTER TABLE messages ADD COLUMN forgotten INTEGER NOT NULL DEFAULT 0;
