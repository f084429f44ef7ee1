package dev.engram.llm;

import java.util.Locale;

/**
 * Every prompt Engram sends. Each maps to the classpath resource {@code prompts/<lowercase name>.txt}
 * (Chinese, with {@code {name}} placeholders) and has a documented output contract:
 * <ul>
 *   <li>{@link #REPLY}: vars {@code persona, memory_block, history, message, user_name} → free text.</li>
 *   <li>{@link #MEMORY_NEED_BUILD}: var {@code text} → {@code 1} or {@code 0}.</li>
 *   <li>{@link #MEMORY_BUILD} (fact extraction, Mem0-style): vars {@code history} (earlier messages, context only)
 *       and {@code text} (the new messages) → {@code {"facts": [{"speaker": "小林", "fact": "小林对花生过敏",
 *       "time": ""|YYYY-MM-DD, "keywords": ["花生"]}]}}: atomic, self-contained facts in the chat's language,
 *       first person replaced by the speaker's name, relative dates resolved; {@code []} for none.</li>
 *   <li>{@link #MEMORY_QUERY}: vars {@code text, now} →
 *       {@code {"need_memory": 1|0, "keywords": "a/b", "time": ""|今天|昨天|前天|N天前|N个月前|YYYY-MM-DD[ HH:MM:SS]}}.</li>
 *   <li>{@link #TOPIC_FIND}: vars {@code text, topic_num} → {@code <t1>,<t2>} or {@code <none>}.</li>
 *   <li>{@link #TOPIC_SUMMARY}: vars {@code text, topic} → one sentence drawn from the text.</li>
 *   <li>{@link #MEMORY_ACTIVATOR}: vars {@code history, message} → {@code {"keywords": ["a", "b"]}}.</li>
 * </ul>
 * {@link LlmOutputs} parses each contract.
 */
public enum PromptId {
    REPLY(0.7, 800),
    MEMORY_NEED_BUILD(0.3, 16),
    MEMORY_BUILD(0.5, 400),
    MEMORY_QUERY(0.3, 200),
    TOPIC_FIND(0.5, 200),
    TOPIC_SUMMARY(0.5, 300),
    MEMORY_ACTIVATOR(0.5, 200);

    private final double defaultTemperature;
    private final int defaultMaxTokens;

    PromptId(double defaultTemperature, int defaultMaxTokens) {
        this.defaultTemperature = defaultTemperature;
        this.defaultMaxTokens = defaultMaxTokens;
    }

    /** @return the classpath resource holding the template, e.g. {@code prompts/memory_build.txt} */
    public String resource() {
        return "prompts/" + key() + ".txt";
    }

    /** @return the lowercase name, used in resource names, operation names and metrics */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the sampling temperature {@link Prompts#request} uses for this prompt */
    public double defaultTemperature() {
        return defaultTemperature;
    }

    /** @return the completion token limit {@link Prompts#request} uses for this prompt */
    public int defaultMaxTokens() {
        return defaultMaxTokens;
    }
}
