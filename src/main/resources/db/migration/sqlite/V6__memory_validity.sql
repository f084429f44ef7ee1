-- What is true now: a fact superseded by a newer one of the same speaker and attribute keeps its
-- text, gets valid_to (epoch milliseconds, the successor's created_at) and a link to its successor.
-- Both NULL for a memory that is current.
ALTER TABLE memories ADD COLUMN valid_to INTEGER;
ALTER TABLE memories ADD COLUMN superseded_by INTEGER REFERENCES memories (id);
CREATE INDEX idx_memories_superseded_by ON memories (superseded_by);
