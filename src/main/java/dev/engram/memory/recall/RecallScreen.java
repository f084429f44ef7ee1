package dev.engram.memory.recall;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import dev.engram.memory.Candidate;
import dev.engram.memory.EchoFilter;
import dev.engram.memory.instant.PastQuestion;
import dev.engram.text.Utterances;
import dev.engram.model.ChatMessage;
import dev.engram.model.StoredMemory;
import dev.engram.text.TextSimilarity;

/**
 * Screens the sources' answers before fusion, so that recall returns facts of the right person:
 * <ol>
 *   <li>bot text is not memory: a raw bot message ({@code bot: …}) that is an offline template reply, or that only
 *       restates other candidates ({@link EchoFilter#memorable} leaves nothing), is dropped. The store pipeline
 *       never indexes such text; this covers an index rebuilt from the message log;</li>
 *   <li>the question being asked is not its own answer: a raw message that is the same question as the
 *       query (equal after normalisation) is dropped;</li>
 *   <li>questions rank below statements: in each source's list, raw messages that are questions
 *       ({@link Utterances#isQuestion}) follow the other candidates, in their order;</li>
 *   <li>"我 / I / my" is the asking speaker: for a first-person query whose speaker is known (the user message
 *       of the current turn, among {@link RecallQuery#excludeMessages()}), a candidate whose source messages
 *       are all by other known users is dropped, unless the query names one of them. Messages of unknown
 *       speakers (no user id or name) and bot messages never count as another speaker;</li>
 *   <li>superseded is not current: unless the query asks about the past ({@link PastQuestion}), in each source's
 *       list the stale candidates follow the current ones, in their order. Stale is an instant memory a newer fact
 *       superseded ({@link StoredMemory#current}; the text indexes keep superseded memories), and a raw message
 *       that memories were written from ({@link dev.engram.store.MemoryRepository#writtenFrom}) all of them
 *       superseded; a message with a current memory, or with none, is current.</li>
 * </ol>
 * Thread-safe; the speaker step costs two look-ups of messages by id, and only for first-person queries; the
 * superseded step two batched look-ups of memories (by id, and by the messages they were written from).
 */
public final class RecallScreen {
    private static final Pattern FIRST_PERSON = Pattern.compile(
            "我(?!们)|\\b(?:i|my|me|mine|myself)\\b", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    /** How a raw bot message is shown: the bot has no user name ({@link ChatMessage#displayName()}). */
    private static final String BOT_PREFIX = "bot: ";
    /** Most ids looked up per step (the speaker step's provenance ids; the superseded step's messages, memories). */
    private static final int MAX_LOOKUP = 500;
    private static final String MESSAGE = "m:";
    private static final String MEMORY = "i:";

    private final Function<Collection<Long>, List<ChatMessage>> messages;
    private final Function<Collection<Long>, List<StoredMemory>> memories;
    private final Function<Collection<Long>, List<StoredMemory>> writtenFrom;

    /**
     * @param messages    finds stored messages by id (the message log's {@code findAll})
     * @param memories    finds instant memories by id ({@link dev.engram.store.MemoryRepository#findAll})
     * @param writtenFrom finds the memories written from messages ({@link dev.engram.store.MemoryRepository#writtenFrom})
     */
    public RecallScreen(Function<Collection<Long>, List<ChatMessage>> messages,
                        Function<Collection<Long>, List<StoredMemory>> memories,
                        Function<Collection<Long>, List<StoredMemory>> writtenFrom) {
        this.messages = Objects.requireNonNull(messages, "messages");
        this.memories = Objects.requireNonNull(memories, "memories");
        this.writtenFrom = Objects.requireNonNull(writtenFrom, "writtenFrom");
    }

    /**
     * What the screen let through: each source's screened list, and the keys of the stale candidates among them
     * (empty for a question about the past), which fusion ranks after the current ones too
     * ({@link #currentFirst(List, Set, Function)}): one source's vote for a stale item must not lift it over the current fact
     * another source found.
     */
    public record Screened(Map<String, List<Candidate>> bySource, Set<String> stale) {
        public Screened {
            bySource = Collections.unmodifiableMap(new LinkedHashMap<>(bySource));
            stale = Set.copyOf(stale);
        }
    }

    /** The answers of each source, screened as the class comment says; the input is not changed. */
    public Map<String, List<Candidate>> screen(RecallQuery q, Map<String, List<Candidate>> answered) {
        return screened(q, answered).bySource();
    }

    /** {@link #screen} with the stale keys it found. */
    public Screened screened(RecallQuery q, Map<String, List<Candidate>> answered) {
        boolean asking = Utterances.isQuestion(q.query());
        String asked = TextSimilarity.normalize(q.query());
        Map<String, List<Candidate>> out = new LinkedHashMap<>();
        List<String> others = null;
        for (Map.Entry<String, List<Candidate>> e : answered.entrySet()) {
            List<Candidate> statements = new ArrayList<>();
            List<Candidate> questions = new ArrayList<>();
            for (Candidate c : e.getValue()) {
                if (!isMessage(c)) {
                    statements.add(c);
                    continue;
                }
                String text = Utterances.withoutSpeaker(c.text());
                if (c.text().startsWith(BOT_PREFIX)) {
                    if (others == null) others = nonBotTexts(answered);
                    if (EchoFilter.memorable(text, others).isEmpty()) continue;
                }
                if (asking && TextSimilarity.normalize(text).equals(asked)) continue;
                (Utterances.isQuestion(text) ? questions : statements).add(c);
            }
            statements.addAll(questions);
            out.put(e.getKey(), statements);
        }
        if (FIRST_PERSON.matcher(q.query()).find()) out = ownSpeaker(q, out);
        if (PastQuestion.asks(q.query())) return new Screened(out, Set.of());
        Set<String> stale = stale(out);
        return new Screened(stale.isEmpty() ? out : currentFirst(out, stale), stale);
    }

    /** Each list with its {@code stale} candidates last, both parts in their order. */
    private static Map<String, List<Candidate>> currentFirst(Map<String, List<Candidate>> answered, Set<String> stale) {
        Map<String, List<Candidate>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<Candidate>> e : answered.entrySet()) {
            out.put(e.getKey(), currentFirst(e.getValue(), stale, Candidate::key));
        }
        return out;
    }

    /** {@code items} with those whose key is {@code stale} last, both parts in their order. */
    static <T> List<T> currentFirst(List<T> items, Set<String> stale, Function<T, String> key) {
        if (stale.isEmpty()) return items;
        List<T> current = new ArrayList<>(items.size());
        List<T> old = new ArrayList<>();
        for (T item : items) (stale.contains(key.apply(item)) ? old : current).add(item);
        current.addAll(old);
        return current;
    }

    /** Keys of the stale candidates: superseded memories, and messages whose memories were all superseded. */
    private Set<String> stale(Map<String, List<Candidate>> answered) {
        Set<Long> memoryIds = new LinkedHashSet<>();
        Set<Long> messageIds = new LinkedHashSet<>();
        for (List<Candidate> list : answered.values()) {
            for (Candidate c : list) {
                Long id = id(c);
                if (id == null) continue;
                Set<Long> ids = isMessage(c) ? messageIds : isMemory(c) ? memoryIds : null;
                if (ids != null && ids.size() < MAX_LOOKUP) ids.add(id);
            }
        }
        Set<String> stale = new HashSet<>();
        if (!memoryIds.isEmpty()) {
            for (StoredMemory m : memories.apply(memoryIds)) if (!m.current()) stale.add(MEMORY + m.id());
        }
        if (!messageIds.isEmpty()) {
            Map<Long, Boolean> anyCurrent = new HashMap<>();
            for (StoredMemory m : writtenFrom.apply(messageIds)) {
                for (Long id : m.messageIds()) {
                    if (messageIds.contains(id)) anyCurrent.merge(id, m.current(), Boolean::logicalOr);
                }
            }
            anyCurrent.forEach((id, current) -> {
                if (!current) stale.add(MESSAGE + id);
            });
        }
        return stale;
    }

    /** The id in a message or memory key, or null. */
    private static Long id(Candidate c) {
        try {
            return Long.parseLong(c.key().substring(2));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    private static List<String> nonBotTexts(Map<String, List<Candidate>> answered) {
        List<String> texts = new ArrayList<>();
        for (List<Candidate> list : answered.values()) {
            for (Candidate c : list) if (!c.text().startsWith(BOT_PREFIX)) texts.add(c.text());
        }
        return texts;
    }

    private Map<String, List<Candidate>> ownSpeaker(RecallQuery q, Map<String, List<Candidate>> answered) {
        ChatMessage asker = null;
        for (ChatMessage m : messages.apply(q.excludeMessages())) {
            if (m.chatId().equals(q.chatId()) && m.role() == ChatMessage.Role.USER && known(m)) asker = m;
        }
        if (asker == null) return answered;
        Set<Long> ids = new LinkedHashSet<>();
        for (List<Candidate> list : answered.values()) {
            for (Candidate c : list) {
                for (Long id : c.messageIds()) if (ids.size() < MAX_LOOKUP) ids.add(id);
            }
        }
        Map<Long, ChatMessage> byId = new HashMap<>();
        for (ChatMessage m : messages.apply(ids)) if (m.chatId().equals(q.chatId())) byId.put(m.id(), m);
        Map<String, List<Candidate>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<Candidate>> e : answered.entrySet()) {
            List<Candidate> kept = new ArrayList<>();
            for (Candidate c : e.getValue()) if (!othersOnly(c, asker, byId, q.query())) kept.add(c);
            out.put(e.getKey(), kept);
        }
        return out;
    }

    /** Whether every known speaker of {@code c}'s messages is a user other than the asker, none named in the query. */
    private static boolean othersOnly(Candidate c, ChatMessage asker, Map<Long, ChatMessage> byId, String query) {
        boolean other = false;
        for (Long id : c.messageIds()) {
            ChatMessage m = byId.get(id);
            if (m == null || m.role() != ChatMessage.Role.USER || !known(m)) continue;
            if (sameSpeaker(m, asker) || named(m, query)) return false;
            other = true;
        }
        return other;
    }

    private static boolean named(ChatMessage m, String query) {
        String name = m.userName() != null && !m.userName().isBlank() ? m.userName() : m.userId();
        return name != null && !name.isBlank() && query.toLowerCase().contains(name.strip().toLowerCase());
    }

    private static boolean sameSpeaker(ChatMessage a, ChatMessage b) {
        if (present(a.userId()) && present(b.userId())) return a.userId().equals(b.userId());
        if (present(a.userName()) && present(b.userName())) return a.userName().equals(b.userName());
        return true; // cannot tell them apart: not another speaker
    }

    private static boolean known(ChatMessage m) {
        return present(m.userId()) || present(m.userName());
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    private static boolean isMessage(Candidate c) {
        return c.key().startsWith(MESSAGE);
    }

    private static boolean isMemory(Candidate c) {
        return c.key().startsWith(MEMORY);
    }
}
