package dev.engram.eval;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * One retrieved unit (a message, a memory, a summary…) as the evaluation sees it.
 *
 * @param externalIds the external ids (LoCoMo {@code dia_id}s) of the messages it was built from, in the given
 *                    order (message order), which {@link RecallMetrics#turnRecallAt} follows
 * @param text        its text, for the token estimate
 * @param source      the source that produced it ({@code lexical}, {@code vector}, …)
 * @param score       its score (only compared within one recall)
 */
public record RecalledUnit(Set<String> externalIds, String text, String source, double score) {
    public RecalledUnit {
        externalIds.forEach(id -> Objects.requireNonNull(id, "externalId"));
        externalIds = Collections.unmodifiableSet(new LinkedHashSet<>(externalIds));
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
    }
}
