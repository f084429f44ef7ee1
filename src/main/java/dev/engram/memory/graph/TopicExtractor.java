package dev.engram.memory.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.llm.LlmClient;
import dev.engram.llm.LlmOutputs;
import dev.engram.llm.ModelSlot;
import dev.engram.llm.PromptId;
import dev.engram.llm.Prompts;
import dev.engram.text.Transcript;

/**
 * The LLM half of a build step (§2.3 step 3): render the snippet, ask {@link PromptId#TOPIC_FIND} for
 * up to {@link TopicCount#topicNum} topics, then ask {@link PromptId#TOPIC_SUMMARY} once per topic.
 * The summary calls of a snippet are issued together (the original awaited them one after another), and
 * the build runs many snippets at once; the {@link LlmClient} bounds how many calls are in flight.
 *
 * <p>The returned future fails when the topic call fails or every summary call fails; single failed
 * summaries only drop their topic. Nothing here blocks a thread. Thread-safe (no mutable state).
 */
final class TopicExtractor {
    private static final Logger log = LoggerFactory.getLogger(TopicExtractor.class);
    private static final int MAX_SUMMARY_CHARS = 500;

    private final LlmClient llm;
    private final Prompts prompts;
    private final TopicParser parser;
    private final GraphSettings settings;

    TopicExtractor(LlmClient llm, Prompts prompts, TopicParser parser, GraphSettings settings) {
        this.llm = llm;
        this.prompts = prompts;
        this.parser = parser;
        this.settings = settings;
    }

    CompletableFuture<Extraction> extract(Snippet snippet) {
        String text = Transcript.render(snippet.messages(), settings.zone());
        int topicNum = TopicCount.topicNum(text, settings.compressRate());
        CompletableFuture<Extraction> result;
        try {
            result = llm.complete(prompts.request(PromptId.TOPIC_FIND, ModelSlot.UTILS,
                            Map.of("text", text, "topic_num", Integer.toString(topicNum))))
                    .thenCompose(answer -> summarize(snippet, text, parser.parse(answer.text(), topicNum)));
        } catch (RuntimeException e) { // a prompt that cannot render is a bug, but must not escape as a throw
            result = CompletableFuture.failedFuture(e);
        }
        return result;
    }

    private CompletableFuture<Extraction> summarize(Snippet snippet, String text, List<String> topics) {
        if (topics.isEmpty()) return CompletableFuture.completedFuture(new Extraction(snippet, List.of(), 0, 0));
        List<CompletableFuture<String>> calls = new ArrayList<>(topics.size());
        for (String topic : topics) {
            calls.add(llm.complete(prompts.request(PromptId.TOPIC_SUMMARY, ModelSlot.UTILS,
                    Map.of("text", text, "topic", topic))).thenApply(r -> LlmOutputs.sentence(r.text())));
        }
        return CompletableFuture.allOf(calls.stream().map(c -> c.exceptionally(e -> null))
                        .toArray(CompletableFuture[]::new))
                .thenCompose(ignored -> collect(snippet, topics, calls));
    }

    private CompletableFuture<Extraction> collect(Snippet snippet, List<String> topics,
                                                  List<CompletableFuture<String>> calls) {
        Provenance provenance = new Provenance(snippet);
        List<Extraction.TopicMemory> memories = new ArrayList<>();
        int failed = 0;
        Throwable firstFailure = null;
        for (int i = 0; i < topics.size(); i++) {
            CompletableFuture<String> call = calls.get(i);
            if (call.isCompletedExceptionally()) {
                failed++;
                if (firstFailure == null) firstFailure = call.exceptionNow();
                continue;
            }
            String summary = call.join();
            if (summary.isBlank()) continue;
            if (summary.length() > MAX_SUMMARY_CHARS) summary = summary.substring(0, MAX_SUMMARY_CHARS) + "…";
            Provenance.Sources src = provenance.of(topics.get(i), summary);
            memories.add(new Extraction.TopicMemory(topics.get(i), summary, src.ids(), src.newest()));
            log.debug("取得记忆: {} - {}", topics.get(i), summary);
        }
        if (failed == topics.size()) return CompletableFuture.failedFuture(firstFailure);
        return CompletableFuture.completedFuture(new Extraction(snippet, memories, topics.size(), failed));
    }
}
