package dev.engram.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The sources one evaluation run recalls from. Immutable.
 *
 * @param name    the run's name in reports
 * @param sources source names; empty = every source, fused
 */
public record SourceSet(String name, Set<String> sources) {
    /** The name of the run over every source. */
    public static final String FUSED = "fused";

    public SourceSet {
        Objects.requireNonNull(name, "name");
        sources = Set.copyOf(sources);
    }

    /** Every source, fused. */
    public static SourceSet fused() {
        return new SourceSet(FUSED, Set.of());
    }

    /**
     * Parses a {@code --sources} value: runs separated by commas, sources within a run joined by {@code +};
     * {@code fused} (or {@code all}) is every source. E.g. {@code lexical,vector,instant,fused} or
     * {@code lexical+vector,fused}. Blank = {@code fused}.
     */
    public static List<SourceSet> parse(String spec) {
        List<SourceSet> runs = new ArrayList<>();
        if (spec == null || spec.isBlank()) return List.of(fused());
        for (String run : spec.split(",")) {
            String r = run.strip().toLowerCase(java.util.Locale.ROOT);
            if (r.isEmpty()) continue;
            if (r.equals(FUSED) || r.equals("all")) {
                runs.add(fused());
                continue;
            }
            Set<String> names = new LinkedHashSet<>(Arrays.stream(r.split("\\+")).map(String::strip)
                    .filter(s -> !s.isEmpty()).toList());
            if (names.isEmpty()) throw new IllegalArgumentException("empty source set in --sources " + spec);
            runs.add(new SourceSet(String.join("+", names), names));
        }
        if (runs.isEmpty()) return List.of(fused());
        if (runs.stream().map(SourceSet::name).distinct().count() != runs.size()) {
            throw new IllegalArgumentException("--sources names a run twice: " + spec);
        }
        return List.copyOf(runs);
    }
}
