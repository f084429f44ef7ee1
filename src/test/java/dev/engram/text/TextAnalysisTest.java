package dev.engram.text;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class TextAnalysisTest {

    @Test
    void chinese_keywords_prefer_names_places_and_nouns() {
        List<String> keywords = TextAnalysis.keywords("我下周三要去北京出差，和小王一起见客户张总。", 3);

        assertThat(keywords).hasSize(3).contains("北京", "张总").doesNotContain("我", "一起", "周三");
    }

    @Test
    void english_keywords_skip_stop_words() {
        assertThat(TextAnalysis.keywords("My name is Alice and I love hiking in the Alps.", 10))
                .startsWith("Alice", "Alps")
                .doesNotContain("my", "is", "and", "I", "the", "in");
    }

    @Test
    void short_and_empty_texts_are_handled() {
        assertThat(TextAnalysis.keywords("猫", 3)).containsExactly("猫");
        assertThat(TextAnalysis.keywords("哈哈", 3)).isEmpty();
        assertThat(TextAnalysis.keywords("你好", 3)).isEmpty();
        assertThat(TextAnalysis.keywords("", 3)).isEmpty();
        assertThat(TextAnalysis.keywords(null, 3)).isEmpty();
        assertThat(TextAnalysis.keywords("北京", 0)).isEmpty();
        assertThat(TextAnalysis.tokens("  ")).isEmpty();
        assertThat(TextAnalysis.summary(null, 2)).isEmpty();
    }

    @Test
    void tokens_are_normalised_for_lexical_matching() {
        assertThat(TextAnalysis.tokens("I'm allergic to Peanuts")).containsExactly("allergic", "peanut");
        assertThat(TextAnalysis.tokens("ＡＢＣ公司的花生")).contains("abc", "公司", "花生").doesNotContain("的");
        assertThat(TextAnalysis.tokens("12:30:05 我爱北京")).contains("北京").doesNotContain("12", "30", "05");
        assertThat(TextAnalysis.tokens("peanut")).isEqualTo(TextAnalysis.tokens("peanuts"));
    }

    @Test
    void letters_and_digits_that_touch_stay_one_token() {
        assertThat(TextAnalysis.tokens("What is Nadia's current 10K personal best?"))
                .containsExactly("nadia", "current", "10k", "personal", "best");
        assertThat(TextAnalysis.tokens("ran 5k, later 10 K")).containsExactly("ran", "5k", "later");
        assertThat(TextAnalysis.tokens("我跑了10K，用时52:40")).contains("10k").doesNotContain("52", "40");
        assertThat(TextAnalysis.words("10K")).containsExactly(new TextAnalysis.Word("10K", "nx"));
    }

    @Test
    void sentences_split_on_chinese_and_english_ends_and_lines() {
        assertThat(TextAnalysis.sentences("你好！今天去哪？我想去西湖……好的。\nIt costs 3.5 dollars. Fine"))
                .containsExactly("你好！", "今天去哪？", "我想去西湖……", "好的。", "It costs 3.5 dollars.", "Fine");
        assertThat(TextAnalysis.sentences("他说：“明天见。”然后走了")).containsExactly("他说：“明天见。”", "然后走了");
    }

    @Test
    void summary_keeps_the_sentences_about_the_main_topic_in_order() {
        String text = "今天好累。杭州的西湖很美，我下周去杭州。晚饭随便吃点。杭州的龙井茶也很有名。";

        String summary = TextAnalysis.summary(text, 2);

        assertThat(summary).isEqualTo("杭州的西湖很美，我下周去杭州。杭州的龙井茶也很有名。");
        assertThat(TextAnalysis.summary("一句话", 3)).isEqualTo("一句话");
    }

    @Test
    void concurrent_first_use_is_safe_and_consistent() throws Exception {
        String text = "老王周末要去成都吃火锅，顺便看看大熊猫。";
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<CompletableFuture<List<String>>> results = IntStream.range(0, 16)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                        awaitQuietly(go);
                        return TextAnalysis.keywords(text, 4);
                    }, pool))
                    .toList();
            go.countDown();
            List<String> first = results.getFirst().get();
            assertThat(first).contains("成都", "大熊猫");
            for (CompletableFuture<List<String>> r : results) {
                assertThat(r.get()).isEqualTo(first);
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
