package dev.engram.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import dev.engram.model.StoredMemory;

/**
 * The synthetic corpus of {@link IndexBench}, generated from a seed: a few thousand distinct
 * Chinese sentences (who, when, where, what), memories that each combine two of them, query texts
 * phrased differently from any stored sentence, and live chat messages. Immutable after
 * construction; thread-safe.
 */
final class IndexBenchCorpus {
    private static final List<String> NAMES = List.of("小林", "小王", "张伟", "李娜", "王芳", "刘洋", "陈静", "杨帆", "赵磊",
            "黄敏", "周杰", "吴倩", "徐明", "孙丽", "马超", "朱婷", "胡军", "郭蕾", "何平", "高阳");
    private static final List<String> TIMES = List.of("今天", "昨天", "上周末", "下个月", "每天早上", "晚上", "去年夏天",
            "春节期间", "周三下午", "最近");
    private static final List<String> PLACES = List.of("在北京", "在上海", "在杭州", "在成都", "在公司附近", "在学校",
            "在老家", "在深圳");
    private static final List<String> ACTIVITIES = List.of("去健身房跑步", "学习弹钢琴", "在家做红烧肉", "看科幻电影",
            "参加人工智能大会", "去医院体检", "和朋友打篮球", "准备期末考试", "写毕业论文", "去超市买水果", "养了一只小猫",
            "练习书法", "学日语", "去海边度假", "修理自行车", "读历史小说", "爬山看日出", "参加婚礼", "搬新家", "面试新工作",
            "种花养草", "玩电子游戏", "做瑜伽", "学游泳", "烤蛋糕", "听古典音乐", "骑车上班", "拍风景照片", "看足球比赛",
            "给父母打电话");
    private static final List<String> QUERY_FORMS = List.of("%s是不是%s？", "谁%s%s来着", "%s最近有没有%s", "还记得%s说过要%s吗",
            "%s喜欢%s吗");
    private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

    private final List<String> sentences;
    private final int[] first;
    private final int[] second;
    private final List<String> queries;

    /**
     * @param sentences distinct sentences to generate (at most 48,000)
     * @param memories  memories to compose from them
     * @param queries   query texts to generate
     */
    IndexBenchCorpus(long seed, int sentences, int memories, int queries) {
        Random random = new Random(seed);
        Set<String> distinct = new LinkedHashSet<>();
        while (distinct.size() < sentences) {
            distinct.add(pick(random, NAMES) + pick(random, TIMES) + pick(random, PLACES) + pick(random, ACTIVITIES) + "。");
        }
        this.sentences = List.copyOf(distinct);
        this.first = new int[memories];
        this.second = new int[memories];
        for (int i = 0; i < memories; i++) {
            first[i] = random.nextInt(sentences);
            second[i] = random.nextInt(sentences);
        }
        Set<String> qs = new LinkedHashSet<>();
        while (qs.size() < queries) {
            String form = pick(random, QUERY_FORMS);
            qs.add(form.startsWith("谁") ? String.format(form, pick(random, TIMES), pick(random, ACTIVITIES))
                    : String.format(form, pick(random, NAMES), pick(random, ACTIVITIES)));
        }
        this.queries = List.copyOf(qs);
    }

    List<String> sentences() {
        return sentences;
    }

    int memoryCount() {
        return first.length;
    }

    /** Memory number {@code i} (0-based) has id {@code i + 1}; its text is two sentences. */
    StoredMemory memory(int i, String chatId) {
        return new StoredMemory(i + 1L, chatId, memoryText(i), List.of(), List.of(), BASE.plusSeconds(i));
    }

    String memoryText(int i) {
        return sentences.get(first[i]) + sentences.get(second[i]);
    }

    int firstSentence(int i) {
        return first[i];
    }

    int secondSentence(int i) {
        return second[i];
    }

    List<String> queries() {
        return queries;
    }

    /** Live message number {@code i}: a fresh sentence plus a token unique to this run and message. */
    String liveMessage(int i, String run, Random random) {
        return pick(random, NAMES) + pick(random, TIMES) + pick(random, ACTIVITIES) + " " + token(i, run);
    }

    /**
     * An all-letter token per message of a run (the analyzer splits letters from digits; the
     * closing {@code q} keeps English stemming from merging two tokens).
     */
    static String token(int i, String run) {
        StringBuilder sb = new StringBuilder("zx").append(run);
        do {
            sb.append((char) ('a' + i % 26));
            i /= 26;
        } while (i > 0);
        return sb.append('q').toString();
    }

    /** Letters naming one run, so a kept data directory never holds two messages with one token. */
    static String runName(Random random) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 6; i++) sb.append((char) ('a' + random.nextInt(26)));
        return sb.toString();
    }

    private static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** A page of memories after {@code afterId} (for the index's rebuild reader). */
    List<StoredMemory> memoriesAfter(long afterId, int limit, String chatId) {
        List<StoredMemory> page = new ArrayList<>();
        for (long id = afterId + 1; id <= first.length && page.size() < limit; id++) page.add(memory((int) id - 1, chatId));
        return page;
    }
}
