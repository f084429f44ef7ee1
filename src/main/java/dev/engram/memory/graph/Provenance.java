package dev.engram.memory.graph;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.engram.model.ChatMessage;

/**
 * Which messages of a snippet a topic's summary came from: the messages that name the topic, else those
 * sharing the most content tokens with topic and summary (at most {@value #MAX_SOURCES}), else (nothing
 * overlaps, e.g. an abstract summary) the whole snippet. Keeping provenance narrow is what lets recall
 * point at the right messages. Immutable after construction; not shared between threads.
 */
final class Provenance {
    static final int MAX_SOURCES = 5;

    /** A chosen set of source messages and the time of the newest. */
    record Sources(List<Long> ids, Instant newest) {
    }

    private final Snippet snippet;
    private final List<Set<String>> tokens = new ArrayList<>();

    Provenance(Snippet snippet) {
        this.snippet = snippet;
        for (ChatMessage m : snippet.messages()) tokens.add(Concepts.tokens(m.text()));
    }

    Sources of(String topic, String summary) {
        String needle = Concepts.key(topic);
        List<ChatMessage> msgs = snippet.messages();
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < msgs.size(); i++) {
            if (msgs.get(i).text().toLowerCase(Locale.ROOT).contains(needle)) chosen.add(i);
        }
        if (chosen.isEmpty()) {
            Set<String> wanted = new HashSet<>(Concepts.tokens(topic));
            wanted.addAll(Concepts.tokens(summary));
            List<int[]> scored = new ArrayList<>();
            for (int i = 0; i < msgs.size(); i++) {
                int overlap = 0;
                for (String t : tokens.get(i)) if (wanted.contains(t)) overlap++;
                if (overlap > 0) scored.add(new int[] {i, overlap});
            }
            scored.sort(Comparator.<int[]>comparingInt(s -> -s[1]).thenComparingInt(s -> s[0]));
            for (int[] s : scored.subList(0, Math.min(MAX_SOURCES, scored.size()))) chosen.add(s[0]);
        }
        if (chosen.size() > MAX_SOURCES) chosen = chosen.subList(0, MAX_SOURCES);
        if (chosen.isEmpty()) return new Sources(snippet.ids(), msgs.getLast().createdAt());
        chosen.sort(Comparator.naturalOrder());
        List<Long> ids = chosen.stream().map(i -> msgs.get(i).id()).toList();
        return new Sources(ids, msgs.get(chosen.getLast()).createdAt());
    }
}
