package dev.engram.app;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.engram.eval.EvalTarget;
import dev.engram.eval.RecalledUnit;
import dev.engram.model.Memory;
import dev.engram.memory.recall.FusedRecall;
import dev.engram.memory.recall.RecallQuery;
import dev.engram.model.ChatMessage;
import dev.engram.model.NewMessage;
import dev.engram.task.EngineStatus;

/**
 * {@link EvalTarget} over a running Engram: messages go through the real durable intake and store
 * pipeline (with their session timestamps), questions through recall fusion restricted to the asked
 * sources (a single source is asked with weight 1, so a source muted in fusion can still be measured). Used by {@code engram eval} from one thread.
 */
final class EngramEvalTarget implements EvalTarget {
    private static final Duration RECALL_DEADLINE = Duration.ofSeconds(10);

    private final Engram engram;
    private final MemoryModule memory;
    private final Map<Long, String> externalIds = new HashMap<>();
    private final Set<String> chats = new LinkedHashSet<>();

    EngramEvalTarget(Engram engram) {
        this.engram = engram;
        this.memory = engram.memory();
        if (memory == null) throw new IllegalStateException("engram eval needs memory.enable_memory = true");
    }

    @Override
    public void ingest(String chatId, String speaker, String text, Instant at, String externalId) {
        ChatMessage stored = memory.service().persist(
                new NewMessage(chatId, ChatMessage.Role.USER, speaker, speaker, text, at, externalId));
        externalIds.put(stored.id(), externalId);
        chats.add(chatId);
    }

    @Override
    public void awaitIdle(Duration max) throws InterruptedException {
        Instant until = Instant.now().plus(max);
        while (Instant.now().isBefore(until)) {
            EngineStatus s = memory.engine().status();
            if (memory.engine().isIdle()) { // failed and dead-lettered tasks do not count: reported, not waited for
                if (s.totals().failed() + s.totals().dead() > 0) System.err.printf("engram eval: %d memory tasks failed, %d dead%n", s.totals().failed(), s.totals().dead());
                // the periodic build samples recent hours; conversations dated years ago get one build of their history
                for (String chat : chats) memory.work().buildHistory(chat);
                return;
            }
            Thread.sleep(100); // a CLI polling the engine; no test depends on this delay
        }
        throw new IllegalStateException("the task engine did not go idle within " + max);
    }

    @Override
    public List<RecalledUnit> recall(String chatId, String query, Set<String> sources, int k) {
        FusedRecall recall = memory.recall();
        if (sources.size() == 1) {
            // one source alone is that source's ranking, even when the configuration mutes it in fusion
            return units(recall.fuse(recall.answers(query(chatId, query, sources, k)), s -> 1.0, Set.of()));
        }
        return units(recall.recall(query(chatId, query, sources, k)).memories());
    }

    @Override
    public Fusable answers(String chatId, String query, int k) {
        FusedRecall recall = memory.recall();
        FusedRecall.SourceAnswers answers = recall.answers(query(chatId, query, Set.of(), k));
        return new Fusable() {
            @Override
            public Set<String> sources() {
                return answers.bySource().keySet();
            }

            @Override
            public List<RecalledUnit> fuse(Map<String, Double> weights) {
                return units(recall.fuse(answers, s -> weights.getOrDefault(s, 0.0)));
            }

            @Override
            public List<RecalledUnit> fuse(Map<String, Double> weights, Set<String> expanding) {
                return units(recall.fuse(answers, s -> weights.getOrDefault(s, 0.0), expanding));
            }
        };
    }

    private RecallQuery query(String chatId, String query, Set<String> sources, int k) {
        Instant deadline = engram.clock().instant().plus(RECALL_DEADLINE);
        return new RecallQuery(chatId, query, Set.of(), deadline, sources, k, Integer.MAX_VALUE);
    }

    private List<RecalledUnit> units(List<Memory> memories) {
        List<RecalledUnit> units = new ArrayList<>();
        for (Memory m : memories) {
            Set<String> ids = new LinkedHashSet<>();
            for (Long id : m.messageIds()) {
                String ext = externalIds.get(id);
                if (ext != null) ids.add(ext);
            }
            units.add(new RecalledUnit(ids, m.text(), m.source(), m.score()));
        }
        return units;
    }
}
