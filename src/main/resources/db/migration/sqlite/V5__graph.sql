-- Graph long-term memory (the "hippocampus"; original-system.md §2.3, defects D-H1…D-H3 fixed).
-- Nodes are concepts, unique by their normalised key. Memory items hang off a node, belong to one chat,
-- are de-duplicated by (node, chat, content hash) and keep the ids of the messages they came from.
-- Undirected edges are stored once, in canonical order (node_a < node_b), with their strength and
-- timestamps, so strengthening and weakening survive a restart.
CREATE TABLE graph_nodes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    concept       TEXT    NOT NULL,           -- as first written (display form)
    concept_key   TEXT    NOT NULL UNIQUE,    -- NFKC, lower case, single spaces: the identity of a concept
    created_at    INTEGER NOT NULL,           -- epoch milliseconds
    last_modified INTEGER NOT NULL
);

CREATE TABLE graph_items (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    node_id       INTEGER NOT NULL REFERENCES graph_nodes (id) ON DELETE CASCADE,
    chat_id       TEXT    NOT NULL,
    text          TEXT    NOT NULL,
    content_hash  TEXT    NOT NULL,           -- SHA-256 of the normalised text
    message_ids   TEXT    NOT NULL DEFAULT '[]', -- JSON array of message ids (provenance)
    created_at    INTEGER NOT NULL,           -- epoch ms of the newest source message
    UNIQUE (node_id, chat_id, content_hash)
);
CREATE INDEX idx_graph_items_chat ON graph_items (chat_id);

CREATE TABLE graph_edges (
    node_a        INTEGER NOT NULL REFERENCES graph_nodes (id) ON DELETE CASCADE,
    node_b        INTEGER NOT NULL REFERENCES graph_nodes (id) ON DELETE CASCADE,
    strength      INTEGER NOT NULL CHECK (strength > 0),
    created_at    INTEGER NOT NULL,
    last_modified INTEGER NOT NULL,
    PRIMARY KEY (node_a, node_b),
    CHECK (node_a < node_b)
);
CREATE INDEX idx_graph_edges_b ON graph_edges (node_b);

-- The last run of each maintenance operation (build, forget, consolidate), for status after a restart.
CREATE TABLE graph_runs (
    kind          TEXT    PRIMARY KEY,        -- build | forget | consolidate
    started_at    INTEGER NOT NULL,
    duration_ms   INTEGER NOT NULL,
    outcome       TEXT    NOT NULL,           -- ok | failed | interrupted
    summary       TEXT    NOT NULL
);
