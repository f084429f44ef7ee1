package dev.engram.memory.instant;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.engram.model.StoredMemory;

/**
 * How a new memory relates to what the chat already holds as true (Mem0's ADD / UPDATE / NOOP, decided
 * offline by {@link Fact} patterns): compared with the chat's <em>current</em> facts of the same speaker and
 * attribute, the new one is {@link Kind#ADD new}, {@link Kind#UPDATE supersedes} those with another value, or
 * is a {@link Kind#NOOP duplicate} of one with the same value. A {@link Fact#multiValued() multi-valued}
 * attribute (allergies) never supersedes: another value is ADD. A text that is no {@link Fact} is always ADD
 * (the writer's ordinary de-duplication then applies). Immutable.
 *
 * @param kind       the decision
 * @param supersedes for UPDATE, the ids of the current facts the new one replaces (oldest first); else empty
 * @param duplicate  for NOOP, the current fact it repeats
 */
public record FactUpdate(Kind kind, List<Long> supersedes, Optional<StoredMemory> duplicate) {
    /** The three decisions. */
    public enum Kind { ADD, UPDATE, NOOP }

    public FactUpdate {
        Objects.requireNonNull(kind, "kind");
        supersedes = List.copyOf(supersedes);
        Objects.requireNonNull(duplicate, "duplicate");
    }

    /**
     * Decides for {@code text} against {@code similar}, the chat's memories that may state the same attribute
     * (e.g. sharing search terms); superseded ones among them are ignored.
     */
    public static FactUpdate decide(String text, Collection<StoredMemory> similar) {
        Optional<Fact> fact = Fact.of(text);
        if (fact.isEmpty()) return new FactUpdate(Kind.ADD, List.of(), Optional.empty());
        List<Long> older = new ArrayList<>();
        for (StoredMemory m : similar) {
            if (!m.current()) continue;
            Optional<Fact> known = Fact.of(m.text());
            if (known.isEmpty() || !known.get().sameAttribute(fact.get())) continue;
            if (known.get().value().equals(fact.get().value())) {
                return new FactUpdate(Kind.NOOP, List.of(), Optional.of(m));
            }
            older.add(m.id());
        }
        if (older.isEmpty() || fact.get().multiValued()) return new FactUpdate(Kind.ADD, List.of(), Optional.empty());
        return new FactUpdate(Kind.UPDATE, older.stream().sorted().toList(), Optional.empty());
    }
}
