package dev.engram.eval;

import java.util.Objects;
import java.util.Set;

/**
 * One retrieved unit (a message, a memory, a summary…) as the evaluation sees it.
 *
 * @param externalIds the external ids (LoCoMo {@code dia_id}s) of the messages it was built from
 * @param text        its text, for the token estimate
 * @param source      the source that produced it ({@code lexical}, {@code vector}, …)
 * @param score       its score (only compared within one recall)
 */
public record RecalledUnit(Set<String> externalIds, String text, String source, double score) {
    public RecalledUnit {
        externalIds = Set.copyOf(externalIds);
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
    }
}
