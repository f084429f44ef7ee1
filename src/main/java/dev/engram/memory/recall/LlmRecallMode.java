package dev.engram.memory.recall;

import java.util.Locale;

/** How the LLM-assisted recall ({@link LlmRecall}) takes part in a reply's recall. */
public enum LlmRecallMode {
    /** Never: recall is local only. */
    OFF,
    /** The seed's behaviour: asked for each reply and waited for until the recall deadline, dropped if late. */
    INLINE,
    /** Default: prepared in the background after each message, used on the chat's next turn (costs the reply nothing). */
    PREFETCH;

    /** The lower-case configuration name. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
