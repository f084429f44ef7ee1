package dev.engram.llm.offline;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.engram.text.AbsoluteDates;
import dev.engram.text.TimeExpression;
import dev.engram.text.TimeExpressions;
import dev.engram.text.Transcript;
import dev.engram.text.Utterances;

/**
 * The offline answer to the fact-extraction prompt ({@link dev.engram.llm.PromptId#MEMORY_BUILD}): atomic,
 * self-contained, speaker-attributed facts from what each speaker of a transcript said, by rules, Chinese and
 * English:
 * <ol>
 *   <li>an explicit "记住：" / "remember that" label is dropped; the utterance is split into clauses on
 *       {@code 。！；;!} and line breaks, and on {@code ，,} or English "and" where the next clause starts with
 *       a first-person subject of its own ({@code 我叫小林，我对花生过敏}); never inside quotes
 *       ({@code 《…》 “…” "…" 「…」});</li>
 *   <li>questions, greetings and acknowledgements are no facts; of the remaining clauses those the
 *       {@link MemoryWorthiness#statesSomething} rules find worth remembering are kept (all of them, as one fact, when none is
 *       on its own);</li>
 *   <li>relative days become absolute dates of the utterance's day ({@link AbsoluteDates}: "下周三" said on
 *       2026-12-02 is "2026-12-09（周三）"); a leading time before "我" moves after it;</li>
 *   <li>first person becomes the speaker's name: 我 / 我的 → 小林 / 小林的, 我们 / 咱们 → 小林他们; I am / I'm →
 *       John is, I + verb → John + third-person verb, my → John's, me → John, we → John and others. A clause
 *       with no subject that names the speaker gets a {@code 小林：} label. Text in quotes is left alone. A name
 *       fact that only repeats the speaker's name ("小林叫小林") is dropped.</li>
 * </ol>
 * Speakers rendered as {@code user} or {@code bot} (no display name) keep their first person. Pure;
 * thread-safe.
 */
final class FactRewriter {
    /** A fact: who stated it, the self-contained text, and the day it names ({@code YYYY-MM-DD}), else empty. */
    record Extracted(String speaker, String fact, String time) {
    }

    /** Most facts taken from one transcript. */
    static final int MAX_FACTS = 8;
    private static final Set<String> ANONYMOUS = Set.of("user", "bot", "assistant", "用户");
    private static final String OPEN_QUOTES = "《“\"「『‘(（【";
    private static final String CLOSE_QUOTES = "》”\"」』’)）】";
    private static final char MASK = '\uE000';
    private static final Pattern LABEL = Pattern.compile(
            "^\\s*(?:请|麻烦)?(?:帮我)?(?:记住|记一下|记下|备忘|记忆)(?:一下)?\\s*[:：，,]?\\s*"
                    + "|^\\s*(?:please\\s+)?(?:remember|note)(?:\\s+that)?\\s*[:,]?\\s+", Pattern.CASE_INSENSITIVE);
    private static final Pattern CN_FIRST_PERSON_START = Pattern.compile("^(?:我|咱们|咱)");
    private static final Pattern EN_FIRST_PERSON_START = Pattern.compile("^(?:I\\b|I'|my\\b|we\\b|we'|our\\b)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern EN_AND = Pattern.compile(",?\\s+(?:and|but)\\s+(?=(?:I\\b|I'|my\\b|we\\b|our\\b))",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern TRAILING = Pattern.compile("[\\s。.!！~～,，、]+$");
    private static final Pattern CN_I = Pattern.compile("(?<![自忘本唯无])我(?!们)");
    private static final Pattern CN_WE = Pattern.compile("我们|咱们");
    private static final String ADVERBS = "also|just|really|still|always|usually|often|never|already|recently|finally"
            + "|now|only|even|actually|definitely|probably|sometimes|totally|absolutely";
    /** Modals and common irregular past forms: the same after any subject. */
    private static final Set<String> UNCHANGED_VERBS = Set.of("can", "could", "will", "would", "should", "might", "must",
            "may", "shall", "did", "had", "was", "used", "got", "gave", "found", "went", "made", "took", "saw", "came",
            "knew", "thought", "told", "felt", "left", "kept", "began", "bought", "brought", "ran", "wrote", "met", "sat",
            "said", "lost", "won", "spent", "sent", "built", "ate", "drove", "flew", "grew", "drew", "fell", "held",
            "heard", "paid", "read", "rode", "sang", "slept", "spoke", "stood", "swam", "taught", "threw", "woke",
            "wore", "put", "set", "cut", "hit", "let", "hurt", "quit", "became", "forgot", "chose", "broke", "caught");
    private static final Pattern EN_I_VERB = Pattern.compile(
            "\\bI\\s+((?:(?:" + ADVERBS + "|(?!fly\\b|reply\\b|apply\\b|rely\\b|supply\\b)[a-z]{2,}ly)\\s+)*)([a-z]+)\\b");

    private FactRewriter() {
    }

    /** The facts of every utterance of {@code transcript} (the prompt's {@code text}), at most {@value #MAX_FACTS}. */
    static List<Extracted> extract(String transcript) {
        Transcript parsed = Transcript.parse(transcript);
        List<Said> said = new ArrayList<>();
        for (Transcript.Utterance u : parsed.utterances()) {
            LocalDate day = TimeExpressions.parseDate(u.date() != null ? u.date() : parsed.date());
            said.add(new Said(u.speaker() == null ? "" : u.speaker().strip(), day, statements(u.content())));
        }
        boolean anyWorth = said.stream().anyMatch(s -> !worth(s.clauses()).isEmpty());
        List<Extracted> out = new ArrayList<>();
        for (Said s : said) {
            List<String> clauses = anyWorth ? worth(s.clauses()) : s.clauses().isEmpty() ? List.of() : List.of(joined(s.clauses()));
            for (String clause : clauses) {
                String fact = rewrite(clause, name(s.speaker()), s.day());
                if (out.size() >= MAX_FACTS) return out;
                if (!fact.isEmpty() && out.stream().noneMatch(e -> e.fact().equals(fact))) {
                    out.add(new Extracted(s.speaker(), fact, dayOf(fact)));
                }
            }
        }
        return out;
    }

    /** What one speaker said on one day, as statement clauses. */
    private record Said(String speaker, LocalDate day, List<String> clauses) {
    }

    /** The first day the fact names ({@code YYYY-MM-DD}), else empty. */
    private static String dayOf(String fact) {
        return TimeExpressions.find(fact, null).stream().map(TimeExpressions.Mention::meaning)
                .filter(e -> e instanceof TimeExpression.Day).map(e -> ((TimeExpression.Day) e).date().toString())
                .findFirst().orElse("");
    }

    /** The facts {@code speaker} stated in {@code content} on {@code day} (null when unknown). */
    static List<String> facts(String content, String speaker, LocalDate day) {
        List<String> clauses = statements(content);
        List<String> worth = worth(clauses);
        if (worth.isEmpty() && !clauses.isEmpty()) worth = List.of(joined(clauses));
        List<String> out = new ArrayList<>();
        for (String clause : worth) {
            String fact = rewrite(clause, name(speaker), day);
            if (!fact.isEmpty() && !out.contains(fact)) out.add(fact);
        }
        return out;
    }

    /** The clauses of {@code content} that may state a fact: no label, no question, greeting or acknowledgement. */
    private static List<String> statements(String content) {
        List<String> out = new ArrayList<>();
        for (String clause : clauses(LABEL.matcher(content.strip()).replaceFirst(""))) {
            if (!clause.isBlank() && clause.codePoints().anyMatch(Character::isLetter) && !Utterances.isNotAFact(clause)) {
                out.add(clause);
            }
        }
        return out;
    }

    /** Clauses that are one fact together, joined in their language. */
    private static String joined(List<String> clauses) {
        return String.join(clauses.stream().anyMatch(FactRewriter::hasHan) ? "，" : "; ", clauses);
    }

    private static List<String> worth(List<String> clauses) {
        return clauses.stream().filter(MemoryWorthiness::statesSomething).toList();
    }

    /** The name first person becomes; empty for a speaker without a display name. */
    private static String name(String speaker) {
        return ANONYMOUS.contains(speaker.toLowerCase(Locale.ROOT)) ? "" : speaker;
    }

    /** One clause rewritten as a self-contained fact of {@code name} (empty: anonymous); empty when it says nothing. */
    static String rewrite(String clause, String name, LocalDate day) {
        List<String> quoted = new ArrayList<>();
        String s = mask(TRAILING.matcher(clause.strip()).replaceFirst(""), quoted);
        s = timeAfterSubject(s, day);
        if (day != null) s = AbsoluteDates.rewrite(s, day);
        boolean english = !hasHan(s);
        if (!name.isEmpty()) {
            String before = s;
            s = english ? english(s, name) : chinese(s, name);
            if (s.equals(before) && !s.contains(name)) s = name + (english ? ": " : "：") + s;
            if (tautology(s, name)) return "";
            s = s.replaceFirst("^" + Pattern.quote(name) + "(?:叫|名叫|的名字是)" + Pattern.quote(name) + "[，,]\\s*", name);
        }
        return unmask(s, quoted).strip();
    }

    /** Clauses of {@code text}: split on sentence ends, and on commas / "and" before a new first-person subject. */
    static List<String> clauses(String text) {
        List<String> out = new ArrayList<>();
        List<String> quoted = new ArrayList<>();
        String masked = mask(text, quoted);
        for (String sentence : masked.split("[。！!；;\\n]+|(?<=[？?])|(?<=[a-z0-9])\\.\\s+")) {
            for (String part : EN_AND.split(sentence)) {
                StringBuilder current = new StringBuilder();
                for (String piece : part.split("(?<=[，,])")) {
                    String next = piece.strip();
                    if (!current.isEmpty() && (startsWithFirstPerson(next) || next.endsWith("？") || next.endsWith("?"))) {
                        out.add(unmask(TRAILING.matcher(current.toString()).replaceFirst(""), quoted).strip());
                        current.setLength(0);
                    }
                    current.append(piece);
                }
                String last = unmask(TRAILING.matcher(current.toString()).replaceFirst(""), quoted).strip();
                if (!last.isEmpty()) out.add(last);
            }
        }
        return out;
    }

    private static boolean startsWithFirstPerson(String s) {
        return CN_FIRST_PERSON_START.matcher(s).find() || EN_FIRST_PERSON_START.matcher(s).find();
    }

    /** "下周三我要去…" → "我下周三要去…": the subject first, so the fact reads "小林 2026-12-09（周三）要去…". */
    private static String timeAfterSubject(String s, LocalDate day) {
        List<TimeExpressions.Mention> mentions = TimeExpressions.find(s, day);
        if (mentions.isEmpty() || mentions.getFirst().start() != 0) return s;
        int end = mentions.getFirst().end();
        Matcher m = Pattern.compile("^[，,\\s]*(我们|咱们|我)").matcher(s.substring(end));
        if (!m.find()) return s;
        return m.group(1) + s.substring(0, end) + s.substring(end + m.end());
    }

    private static String chinese(String s, String name) {
        String out = CN_WE.matcher(s).replaceAll(Matcher.quoteReplacement(name + "他们"));
        return CN_I.matcher(out).replaceAll(Matcher.quoteReplacement(name));
    }

    private static String english(String s, String name) {
        String n = Matcher.quoteReplacement(name);
        String out = s.replaceAll("\\bI'm\\b|\\bI am\\b", n + " is")
                .replaceAll("\\bI've\\b|\\bI have\\b", n + " has")
                .replaceAll("\\bI'll\\b", n + " will")
                .replaceAll("\\bI'd\\b", n + " would")
                .replaceAll("\\bI don't\\b", n + " doesn't")
                .replaceAll("\\bI do not\\b", n + " does not")
                .replaceAll("(?i)\\bwe're\\b", n + " and others are")
                .replaceAll("(?i)\\bwe've\\b", n + " and others have")
                .replaceAll("(?i)\\bwe'll\\b", n + " and others will")
                .replaceAll("(?i)\\bwe\\b|\\bus\\b", n + " and others")
                .replaceAll("(?i)\\b(?:my|our|mine)\\b", n + "'s")
                .replaceAll("(?i)\\b(?:myself|me)\\b", n);
        Matcher m = EN_I_VERB.matcher(out);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(name + " " + m.group(1) + thirdPerson(m.group(2))));
        }
        m.appendTail(sb);
        return sb.toString().replaceAll("\\bI\\b", n);
    }

    /** The third-person singular present of {@code verb}; modals, adverbs and past forms unchanged. */
    static String thirdPerson(String verb) {
        if (UNCHANGED_VERBS.contains(verb) || verb.endsWith("ed") || verb.endsWith("s") && !verb.endsWith("ss")) return verb;
        return switch (verb) {
            case "have" -> "has";
            case "do" -> "does";
            case "go" -> "goes";
            default -> verb.matches(".*(ss|sh|ch|x|z|o)") ? verb + "es"
                    : verb.matches(".*[^aeiou]y") ? verb.substring(0, verb.length() - 1) + "ies" : verb + "s";
        };
    }

    private static boolean tautology(String s, String name) {
        String t = TRAILING.matcher(s).replaceFirst("").replace(" ", "");
        String n = name.replace(" ", "");
        return t.equals(n + "叫" + n) || t.equals(n + "名叫" + n) || t.equals(n + "的名字是" + n)
                || t.equalsIgnoreCase(n + "'snameis" + n) || t.equalsIgnoreCase(n + "is" + n);
    }

    private static boolean hasHan(String s) {
        return s.codePoints().anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN);
    }

    /** Replaces each quoted span (with its quotes) by one private-use character, remembering the spans. */
    static String mask(String s, List<String> quoted) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int open = OPEN_QUOTES.indexOf(c);
            int close = open < 0 ? -1 : s.indexOf(CLOSE_QUOTES.charAt(open), i + 1);
            if (open >= 0 && close > i && quoted.size() < 256) {
                quoted.add(s.substring(i, close + 1));
                out.append((char) (MASK + quoted.size() - 1));
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    static String unmask(String s, List<String> quoted) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            int index = c - MASK;
            out.append(index >= 0 && index < quoted.size() ? quoted.get(index) : String.valueOf(c));
        }
        return out.toString();
    }
}
