package dev.engram.memory.manage;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.engram.memory.graph.GraphEdge;
import dev.engram.memory.graph.GraphItem;
import dev.engram.memory.graph.GraphMemory;
import dev.engram.memory.graph.GraphNode;
import dev.engram.memory.graph.GraphSnapshot;
import dev.engram.model.ChatMessage;
import dev.engram.model.StoredMemory;
import dev.engram.store.Storage;

/**
 * Writes a chat (or every chat) as JSON Lines, the format {@link MemoryImport} reads: a header line
 * ({@code {"type":"header","format":"engram-export","version":1,...}}), then per chat its messages (id order),
 * its memories with their history (id order: a superseded version comes before the fact that replaced it) and
 * provenance (message ids of this file; a message kept after its speaker was forgotten says {@code "forgotten": true}),
 * and its graph items with their concepts (oldest first); then, since version 2, the graph's concepts
 * ({@code graph_node}, oldest first: those holding an item of an exported chat, and those holding none) and the
 * links between them with their strengths ({@code graph_edge}), so an import rebuilds the graph recall walks
 * instead of linking concepts anew. Streams; holds at most one batch of rows and the concept list in memory.
 * Thread-safe (no state beyond its collaborators).
 */
public final class MemoryExport {
    /** The {@code format} of the header line. */
    public static final String FORMAT = "engram-export";
    /** The newest format version this Engram writes and reads. */
    public static final int VERSION = 2;
    private static final int BATCH = 500;

    private final Storage storage;
    private final GraphMemory graph;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper()
            .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);

    public MemoryExport(Storage storage, GraphMemory graph, Clock clock) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.graph = Objects.requireNonNull(graph, "graph");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether the chat has anything to export (a message or a memory). */
    public boolean exists(String chatId) {
        return !storage.messages().recent(chatId, 1).isEmpty() || storage.memories().countByChat(chatId) > 0;
    }

    /** The chats an export of everything holds, newest activity first. */
    public List<String> allChats() {
        return storage.messages().chats(Integer.MAX_VALUE).stream().map(c -> c.chatId()).toList();
    }

    /**
     * Writes the chats to {@code out} (not closed).
     *
     * @param chats the chats, e.g. one, or {@link #allChats()}
     */
    public void write(List<String> chats, OutputStream out) throws IOException {
        ObjectNode header = json.createObjectNode().put("type", "header").put("format", FORMAT).put("version", VERSION)
                .put("exported_at", clock.instant().toString());
        ArrayNode names = header.putArray("chats");
        chats.forEach(names::add);
        line(out, header);
        GraphSnapshot snapshot = graph.snapshot();
        for (String chat : chats) {
            writeMessages(chat, out);
            writeMemories(chat, out);
            writeGraph(chat, snapshot, out);
        }
        writeConcepts(java.util.Set.copyOf(chats), snapshot, out);
        out.flush();
    }

    private void writeMessages(String chat, OutputStream out) throws IOException {
        List<Long> ids = storage.messages().idsOfChat(chat);
        for (int i = 0; i < ids.size(); i += BATCH) {
            List<Long> batch = ids.subList(i, Math.min(ids.size(), i + BATCH));
            java.util.Set<Long> forgotten = storage.messages().forgottenAmong(batch);
            for (ChatMessage m : storage.messages().findAll(batch)) {
                ObjectNode n = json.createObjectNode().put("type", "message").put("id", m.id()).put("chat_id", m.chatId())
                        .put("role", m.role() == ChatMessage.Role.USER ? "user" : "assistant")
                        .put("speaker_id", m.userId()).put("speaker_name", m.userName()).put("text", m.text())
                        .put("created_at", m.createdAt().toString()).put("external_id", m.externalId())
                        .put("memorized_times", m.memorizedTimes());
                if (forgotten.contains(m.id())) n.put("forgotten", true);
                line(out, n);
            }
        }
    }

    private void writeMemories(String chat, OutputStream out) throws IOException {
        List<StoredMemory> all = new ArrayList<>();
        for (Long cursor = null; ; ) {
            List<StoredMemory> batch = storage.memories().page(chat, cursor, BATCH);
            if (batch.isEmpty()) break;
            all.addAll(batch);
            cursor = batch.getLast().id();
        }
        java.util.Set<Long> pinned = storage.memories().pinnedAmong(all.stream().map(StoredMemory::id).toList());
        for (StoredMemory m : all.reversed()) {
            ObjectNode n = json.createObjectNode().put("type", "memory").put("id", m.id()).put("chat_id", m.chatId())
                    .put("text", m.text());
            m.keywords().forEach(n.putArray("keywords")::add);
            ArrayNode provenance = n.putArray("message_ids");
            m.messageIds().forEach(provenance::add);
            n.put("created_at", m.createdAt().toString())
                    .put("valid_to", m.validTo() == null ? null : m.validTo().toString())
                    .put("superseded_by", m.supersededBy());
            ArrayNode supersedes = n.putArray("supersedes");
            m.supersedes().forEach(supersedes::add);
            n.put("pinned", pinned.contains(m.id()));
            line(out, n);
        }
    }

    /** One line per item text of the chat, with every concept it hangs off. */
    private void writeGraph(String chat, GraphSnapshot snapshot, OutputStream out) throws IOException {
        Map<String, List<GraphItem>> byText = new LinkedHashMap<>();
        List<GraphItem> items = new ArrayList<>(snapshot.items(chat));
        items.sort(java.util.Comparator.comparingLong(GraphItem::id));
        for (GraphItem item : items) byText.computeIfAbsent(item.text(), t -> new ArrayList<>()).add(item);
        for (List<GraphItem> same : byText.values()) {
            GraphItem first = same.getFirst();
            ObjectNode n = json.createObjectNode().put("type", "graph_item").put("chat_id", chat).put("text", first.text());
            ArrayNode concepts = n.putArray("concepts");
            for (GraphItem i : same) snapshot.node(i.nodeId()).map(GraphNode::concept).ifPresent(concepts::add);
            ArrayNode provenance = n.putArray("message_ids");
            first.messageIds().forEach(provenance::add);
            n.put("created_at", first.createdAt().toString());
            if (!concepts.isEmpty()) line(out, n);
        }
    }

    /** The concepts holding an item of {@code chats} or none at all, by id, and the links among them. */
    private void writeConcepts(java.util.Set<String> chats, GraphSnapshot snapshot, OutputStream out) throws IOException {
        Map<Long, String> concepts = new java.util.TreeMap<>();
        for (GraphNode node : snapshot.nodes()) {
            List<GraphItem> items = snapshot.items(node.id());
            if (items.isEmpty() || items.stream().anyMatch(i -> chats.contains(i.chatId()))) concepts.put(node.id(), node.concept());
        }
        for (String concept : concepts.values()) line(out, json.createObjectNode().put("type", "graph_node").put("concept", concept));
        List<GraphEdge> edges = new ArrayList<>();
        for (GraphEdge e : snapshot.edges()) if (concepts.containsKey(e.a()) && concepts.containsKey(e.b())) edges.add(e);
        edges.sort(java.util.Comparator.comparingLong(GraphEdge::a).thenComparingLong(GraphEdge::b));
        for (GraphEdge e : edges) {
            line(out, json.createObjectNode().put("type", "graph_edge").put("a", concepts.get(e.a())).put("b", concepts.get(e.b()))
                    .put("strength", e.strength()).put("created_at", e.createdAt().toString())
                    .put("last_modified", e.lastModified().toString()));
        }
    }

    private void line(OutputStream out, ObjectNode n) throws IOException {
        out.write(json.writeValueAsBytes(n));
        out.write('\n');
    }
}
