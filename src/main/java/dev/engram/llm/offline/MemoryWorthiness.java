package dev.engram.llm.offline;

import java.util.List;
import java.util.regex.Pattern;
import dev.engram.text.Stopwords;
import dev.engram.text.TextAnalysis;
import dev.engram.text.TimeExpressions;
import dev.engram.text.Transcript;

/**
 * The offline "is this worth remembering?" judgement ({@link PromptId#MEMORY_NEED_BUILD}), by rules, for
 * Chinese and English.
 * <ol>
 *   <li>Each utterance of a transcript is judged on its own; one is enough.</li>
 *   <li>An explicit request to remember ({@code 记住}, {@code 别忘}, "remember that"…) that is not itself a
 *       recall question ({@code 你还记得…吗}) is always worth remembering.</li>
 *   <li>Text without a single keyword (greetings, laughter, fillers) never is.</li>
 *   <li>Otherwise signals add up: preferences, plans/appointments, life events, identity facts weigh 2;
 *       dates, numbers, contact details, named people/places and a first-person statement of some length
 *       weigh 1; a question weighs -2. A score of {@value #THRESHOLD} or more is worth remembering, and so is a
 *       statement with enough content words of its own ({@link #statesSomething}).</li>
 * </ol>
 * Stateless and thread-safe.
 */
final class MemoryWorthiness {

    static final int THRESHOLD = 2;

    private static final int CI = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    private static final Pattern EXPLICIT = Pattern.compile(
            "记住|记下|记一下|帮我记|别忘|不要忘|千万别忘|(?<![不还])记得|"
                    + "\\bremember (that|this|my|me|i|to)\\b|don'?t forget|do not forget|\\bnote (that|down)\\b|"
                    + "keep in mind|make a note", CI);
    private static final Pattern RECALL_QUESTION = Pattern.compile(
            "还记得|记不记得|记得.*[吗嘛么]|do you remember|remember when", CI);
    private static final Pattern QUESTION = Pattern.compile(
            "[?？]\\s*$|[吗嘛么呢]\\s*[。.!！~～]*\\s*$|^\\s*(what|who|when|where|why|how|do|does|did|is|are|can|could"
                    + "|would|will|should)\\b|什么|怎么|为什么|哪里|哪儿|谁", CI);
    private static final Pattern PREFERENCE = Pattern.compile(
            "喜欢|讨厌|爱吃|爱喝|爱看|爱玩|不吃|不喝|不爱|过敏|忌口|偏好|最爱|口味|受不了|害怕|恐惧|"
                    + "\\bfavou?rites?\\b|\\blove\\b|\\bhate\\b|allergic|allergy|\\bprefer|can'?t stand|dislike"
                    + "|\\benjoy",
            CI);
    private static final Pattern PLAN = Pattern.compile(
            "明天|后天|下周|下星期|下礼拜|下个?月|明年|周[一二三四五六日末天]|星期[一二三四五六日天]|礼拜[一二三四五六日天]|"
                    + "打算|计划|准备|约了|约好|预约|预定|会议|开会|面试|考试|出差|旅行|旅游|航班|生日|纪念日|截止|提醒|"
                    + "deadline|tomorrow|next (week|month|year|monday|tuesday|wednesday|thursday|friday|saturday"
                    + "|sunday)"
                    + "|\\bplan(ning)? to\\b|going to|appointment|meeting|interview|\\bexam\\b|flight|birthday|"
                    + "anniversary|\\btrip\\b|remind", CI);
    private static final Pattern LIFE_EVENT = Pattern.compile(
            "换了?(新)?工作|新工作|入职|辞职|离职|升职|跳槽|毕业|搬家|搬到|结婚|订婚|离婚|分手|怀孕|生了|出生|去世|住院|"
                    + "生病|手术|考上|录取|买了?房|买了?车|\\b(moved to|got married|new job|graduated|broke up|"
                    + "passed away|pregnant|hospital)\\b", CI);
    private static final Pattern IDENTITY = Pattern.compile(
            "我叫|我的名字|我名字|本人|我是(?![说想觉在不])|我今年|我住|住在|我家|老家|我在.{1,12}(工作|上班|上学|读书)|"
                    + "我的.{1,8}(是|叫)|我有|我养|我女朋友|我男朋友|我老婆|我老公|我妈|我爸|我儿子|我女儿|我们公司|"
                    + "\\bmy name\\b|\\bcall me\\b|\\bi'?m (a|an|from|\\d)|\\bi am (a|an|from|\\d)|\\bi live\\b|"
                    + "\\bi work\\b|\\bi have\\b|\\bmy (wife|husband|girlfriend|boyfriend|son|daughter|mom|dad|mother"
                    + "|father|cat|dog|birthday|job|phone|address)\\b|\\bmy \\w+ is\\b", CI);
    private static final Pattern DATE_OR_NUMBER = Pattern.compile(
            "\\d{1,2}月\\d{1,2}[日号]|\\d{4}[-/年]\\d{1,2}|\\d{1,2}[:：]\\d{2}|\\d+点|\\d{3,}|电话|手机号|号码|地址|"
                    + "邮箱|账号|微信|\\S+@\\S+|\\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.? \\d{1,2}\\b",
            CI);
    private static final Pattern FIRST_PERSON = Pattern.compile("我|\\bI\\b|\\bmy\\b|\\bme\\b", CI);

    private MemoryWorthiness() {
    }

    /**
     * @param text one message, or a transcript (then each utterance is judged on its own, without its header,
     *             so a question in one line does not cancel a fact in another and a header's date, time and
     *             name never count as the content's)
     * @return whether {@code text} holds something worth remembering
     */
    static boolean worthRemembering(String text) {
        Transcript transcript = Transcript.parse(text);
        List<Transcript.Utterance> utterances = transcript.utterances();
        if (utterances.size() == 1 && transcript.date() == null && utterances.getFirst().time() == null
                && statesSomething(text)) {
            return true; // one plain message: judge it whole (a "记住：…" line is not a speaker line)
        }
        for (Transcript.Utterance u : utterances) {
            if (statesSomething(u.content())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code text} is worth remembering: a {@link #score} of {@value #THRESHOLD} or more, or a statement
     * (no question) with enough content of its own: two distinct content words besides time words for a
     * first-person statement ("我上个月开始学做面包了", "I'm designing a board game"), three for another
     * ("Zoe's school has a science fair"); "今天天气不错", "恭喜恭喜" and "I think so too" are not.
     */
    static boolean statesSomething(String text) {
        int score = score(text);
        if (score >= THRESHOLD) return true;
        if (score < 0 || text == null) return false;
        StringBuilder withoutTimes = new StringBuilder(text);
        List<TimeExpressions.Mention> times = TimeExpressions.find(text, null);
        for (TimeExpressions.Mention m : times.reversed()) withoutTimes.replace(m.start(), m.end(), " ");
        long content = TextAnalysis.tokens(withoutTimes.toString()).stream().distinct().count();
        return content >= (FIRST_PERSON.matcher(text).find() ? 2 : 3);
    }

    /** @return the rule score of {@code text}; explicit requests score {@link Integer#MAX_VALUE} / 2 */
    static int score(String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        String t = text.strip();
        boolean recallQuestion = RECALL_QUESTION.matcher(t).find();
        if (!recallQuestion && EXPLICIT.matcher(t).find()) {
            return Integer.MAX_VALUE / 2;
        }
        if (TextAnalysis.keywords(t, 1).isEmpty() && !DATE_OR_NUMBER.matcher(t).find()) {
            return 0;
        }
        int score = 0;
        score += PREFERENCE.matcher(t).find() ? 2 : 0;
        score += PLAN.matcher(t).find() ? 2 : 0;
        score += LIFE_EVENT.matcher(t).find() ? 2 : 0;
        boolean identity = IDENTITY.matcher(t).find();
        score += identity ? 2 : 0;
        score += DATE_OR_NUMBER.matcher(t).find() ? 1 : 0;
        score += hasProperName(t) ? 1 : 0;
        score += FIRST_PERSON.matcher(t).find() && TextAnalysis.tokens(t).size() >= 4 ? 1 : 0;
        if (recallQuestion || (QUESTION.matcher(t).find() && !identity)) {
            score -= 2;
        }
        return score;
    }

    private static boolean hasProperName(String text) {
        for (TextAnalysis.Word w : TextAnalysis.words(text)) {
            String pos = w.pos();
            if ((pos.startsWith("nr") || pos.startsWith("ns") || pos.startsWith("nt"))
                    && w.text().codePointCount(0, w.text().length()) >= 2 && !Stopwords.contains(w.text())) {
                return true;
            }
        }
        return false;
    }
}
