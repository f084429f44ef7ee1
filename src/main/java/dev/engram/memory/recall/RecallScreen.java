package dev.engram.memory.recall;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
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
import dev.engram.text.Utterances;
import dev.engram.model.ChatMessage;
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
 *       speakers (no user id or name) and bot messages never count as another speaker.</li>
 * </ol>
 * Thread-safe; the speaker step costs two look-ups of messages by id, and only for first-person queries.
 */
public final class RecallScreen {
    private static final Pattern FIRST_PERSON = Pattern.compile(
            "我(?!们)|\\b(?:i|my|me|mine|myself)\\b", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    /** How a raw bot message is shown: the bot has no user name ({@link ChatMessage#displayName()}). */
    private static final String BOT_PREFIX = "bot: ";
    /** Most provenance ids looked up for the speaker step. */
    private static final int MAX_LOOKUP = 500;

    private final Function<Collection<Long>, List<ChatMessage>> messages;

    /** @param messages finds stored messages by id (the message log's {@code findAll}) */
    public RecallScreen(Function<Collection<Long>, List<ChatMessage>> messages) {
        this.messages = Objects.requireNonNull(messages, "messages");
    }

    /** The answers of each source, screened as the class comment says; the input is not changed. */
    public Map<String, List<Candidate>> screen(RecallQuery q, Map<String, List<Candidate>> answered) {
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
        return FIRST_PERSON.matcher(q.query()).find() ? ownSpeaker(q, out) : out;
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
        return c.key().startsWith("m:");
    }
}
