-- The change feed (cluster mode): every committed change an instance's local index, graph snapshot or recall
-- cache must follow, one row each, written by the triggers below in the same transaction as the change, so the
-- feed never misses a committed change. seq is monotonic in allocation, not in commit order: a follower keeps
-- its cursor below sequence numbers still in flight (see dev.engram.memory.cluster.FeedCursor).
--   kind    message | memory | embedding_message | embedding_memory | graph
--   chat_id the chat changed (NULL: graph nodes or edges, every chat's activation)
--   ref_id  the message or memory id (embedding_*: the item's id); NULL for graph rows
--   origin  the writing instance (current_setting('engram.instance'), set per connection), NULL outside a cluster
--   at      epoch milliseconds (clock_timestamp()) when the change was written
-- Each writing transaction also sends one NOTIFY on channel engram_change_log (payload empty): a wake-up only.
CREATE TABLE change_log (
    seq     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind    TEXT   NOT NULL,
    chat_id TEXT,
    ref_id  BIGINT,
    origin  TEXT,
    at      BIGINT NOT NULL
);
CREATE INDEX idx_change_log_at ON change_log (at);

-- Rows below pruned_below were pruned: a follower whose cursor is below it has missed changes and rebuilds.
-- enabled: 1 once an instance opened the database in cluster mode; until then the triggers log nothing, so a
-- single instance on PostgreSQL neither pays for the feed nor grows a table nobody prunes.
CREATE TABLE change_log_horizon (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    pruned_below BIGINT  NOT NULL,
    enabled      INTEGER NOT NULL DEFAULT 0
);
INSERT INTO change_log_horizon (id, pruned_below) VALUES (1, 0);

CREATE FUNCTION engram_log_change(p_kind TEXT, p_chat TEXT, p_ref BIGINT) RETURNS void AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM change_log_horizon WHERE enabled = 1) THEN
        RETURN;
    END IF;
    INSERT INTO change_log (kind, chat_id, ref_id, origin, at)
    VALUES (p_kind, p_chat, p_ref, NULLIF(current_setting('engram.instance', true), ''),
            (extract(epoch FROM clock_timestamp()) * 1000)::bigint);
    PERFORM pg_notify('engram_change_log', '');
END
$$ LANGUAGE plpgsql;

-- Messages: new rows, deletions, and what changes their text or marks them forgotten (not memorized_times).
CREATE FUNCTION engram_messages_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM engram_log_change('message', OLD.chat_id, OLD.id);
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.text IS NOT DISTINCT FROM OLD.text AND NEW.forgotten = OLD.forgotten
       AND NEW.chat_id = OLD.chat_id THEN
        RETURN NEW;
    END IF;
    PERFORM engram_log_change('message', NEW.chat_id, NEW.id);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_messages_change_log AFTER INSERT OR UPDATE OR DELETE ON messages
    FOR EACH ROW EXECUTE FUNCTION engram_messages_changed();

-- Memories: new rows, deletions (forgetting), edits, supersession (superseded_by / valid_to) and pins.
CREATE FUNCTION engram_memories_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM engram_log_change('memory', OLD.chat_id, OLD.id);
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.text IS NOT DISTINCT FROM OLD.text AND NEW.keywords IS NOT DISTINCT FROM OLD.keywords
       AND NEW.superseded_by IS NOT DISTINCT FROM OLD.superseded_by AND NEW.valid_to IS NOT DISTINCT FROM OLD.valid_to
       AND NEW.pinned = OLD.pinned AND NEW.created_at = OLD.created_at THEN
        RETURN NEW;
    END IF;
    PERFORM engram_log_change('memory', NEW.chat_id, NEW.id);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_memories_change_log AFTER INSERT OR UPDATE OR DELETE ON memories
    FOR EACH ROW EXECUTE FUNCTION engram_memories_changed();

-- Embeddings land after their item (the store task indexes a message or memory in a later transaction): the
-- follower indexes an item when its vector is stored. Deletions are not logged (forgetting deletes the item,
-- which is; retention runs on each instance's own index).
CREATE FUNCTION engram_embeddings_changed() RETURNS trigger AS $$
BEGIN
    PERFORM engram_log_change('embedding_' || NEW.item_kind, NEW.chat_id, NEW.item_id);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_embeddings_change_log AFTER INSERT OR UPDATE ON embeddings
    FOR EACH ROW EXECUTE FUNCTION engram_embeddings_changed();

-- Graph items name their chat; node and edge changes are logged once per transaction (chat NULL).
CREATE FUNCTION engram_graph_items_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM engram_log_change('graph', OLD.chat_id, NULL);
        RETURN OLD;
    END IF;
    PERFORM engram_log_change('graph', NEW.chat_id, NULL);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_graph_items_change_log AFTER INSERT OR UPDATE OR DELETE ON graph_items
    FOR EACH ROW EXECUTE FUNCTION engram_graph_items_changed();

CREATE FUNCTION engram_graph_changed() RETURNS trigger AS $$
BEGIN
    IF current_setting('engram.graph_logged', true) IS DISTINCT FROM pg_current_xact_id()::text
       AND EXISTS (SELECT 1 FROM change_log_horizon WHERE enabled = 1) THEN
        PERFORM set_config('engram.graph_logged', pg_current_xact_id()::text, true);
        PERFORM engram_log_change('graph', NULL, NULL);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_graph_nodes_change_log AFTER INSERT OR UPDATE OR DELETE ON graph_nodes
    FOR EACH STATEMENT EXECUTE FUNCTION engram_graph_changed();
CREATE TRIGGER trg_graph_edges_change_log AFTER INSERT OR UPDATE OR DELETE ON graph_edges
    FOR EACH STATEMENT EXECUTE FUNCTION engram_graph_changed();
