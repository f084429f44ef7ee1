package dev.engram.text;

import com.hankcs.hanlp.dictionary.stopword.CoreStopWordDictionary;

import java.util.Locale;
import java.util.Set;

/**
 * Words that carry no topic: HanLP's core Chinese stop-word dictionary, plus chat fillers and greetings,
 * plus an English list (with contractions). Immutable and thread-safe; HanLP's dictionary loads on first use.
 */
public final class Stopwords {

    private static final Set<String> CHINESE = set(
            "我", "你", "他", "她", "它", "我们", "你们", "他们", "她们", "咱们", "大家", "自己", "别人", "人家",
            "这", "那", "这个", "那个", "这些", "那些", "这样", "那样", "这里", "那里", "哪", "哪里", "哪个",
            "什么", "怎么", "怎样", "为什么", "多少", "几", "谁", "吗", "呢", "吧", "啊", "呀", "哦", "噢", "哇",
            "嗯", "嗯嗯", "哈", "哈哈", "哈哈哈", "呵呵", "嘿嘿", "嘻嘻", "额", "呃", "唉", "诶", "欸", "喔",
            "你好", "您好", "大家好", "早上好", "晚上好", "晚安", "早安", "拜拜", "再见", "谢谢", "多谢", "感谢",
            "好的", "好吧", "好啊", "行", "可以", "没事", "没关系", "不客气", "在吗", "在不在", "是的", "对", "对的",
            "的", "了", "着", "过", "得", "地", "之", "与", "和", "跟", "及", "或", "或者", "还是", "而且", "并且",
            "但是", "可是", "不过", "因为", "所以", "如果", "虽然", "然后", "接着", "就是", "只是", "不是", "还有",
            "是", "有", "没有", "在", "说", "讲", "想", "要", "会", "能", "去", "来", "做", "搞", "弄", "让", "给",
            "觉得", "感觉", "知道", "认为", "看看", "一下", "一点", "一些", "一个", "一样", "有点", "有些", "真的",
            "记住", "记得", "记一下", "帮我", "请", "一定", "别忘", "忘了", "不要", "别", "已经", "还", "也", "都",
            "就", "才", "又", "再", "很", "太", "非常", "特别", "比较", "最", "更", "挺", "蛮", "超", "好", "不",
            "当前", "日期", "时间", "现在", "刚才", "刚刚", "东西", "事情", "时候", "问题", "情况", "方面", "内容");

    private static final Set<String> ENGLISH = set(
            "a", "an", "the", "and", "or", "but", "if", "then", "else", "so", "because", "as", "of", "at", "by",
            "for", "with", "about", "against", "between", "into", "through", "during", "before", "after", "to",
            "from", "up", "down", "in", "out", "on", "off", "over", "under", "again", "further", "once", "here",
            "there", "when", "where", "why", "how", "all", "any", "both", "each", "few", "more", "most", "other",
            "some", "such", "no", "nor", "not", "only", "own", "same", "than", "too", "very", "can", "will",
            "just", "should", "now", "i", "me", "my", "myself", "we", "our", "ours", "you", "your", "yours",
            "he", "him", "his", "she", "her", "hers", "it", "its", "they", "them", "their", "what", "which",
            "who", "whom", "this", "that", "these", "those", "am", "is", "are", "was", "were", "be", "been",
            "being", "have", "has", "had", "having", "do", "does", "did", "doing", "would", "could", "might",
            "must", "shall", "may", "let", "lets", "also", "really", "yes", "yeah", "yep", "ok", "okay", "hi",
            "hello", "hey", "thanks", "thank", "please", "lol", "haha", "hmm", "oh", "well", "like", "get", "got",
            "know", "think", "say", "said", "tell", "told", "remember", "forget", "note", "none", "one", "thing",
            "things", "something", "anything", "everything", "today", "yesterday", "tomorrow", "ago", "last",
            "i'm", "i've", "i'll", "i'd", "you're", "you've", "you'll", "he's", "she's", "it's", "we're",
            "they're", "that's", "there's", "what's", "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't",
            "weren't", "won't", "can't", "couldn't", "shouldn't", "wouldn't", "haven't", "hasn't", "let's");

    private Stopwords() {
    }

    /** Tolerates duplicates in the lists above (unlike {@code Set.of}). */
    private static Set<String> set(String... words) {
        return Set.copyOf(java.util.Arrays.asList(words));
    }

    /** @param word a token; Latin words are compared case-insensitively */
    public static boolean contains(String word) {
        if (word.isEmpty()) {
            return true;
        }
        String lower = word.toLowerCase(Locale.ROOT);
        return CHINESE.contains(word) || ENGLISH.contains(lower)
                || (TextAnalysis.hasCjk(word) && CoreStopWordDictionary.contains(word));
    }
}
