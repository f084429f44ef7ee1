package dev.engram.memory.instant;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A one-attribute fact read from a memory text by patterns, without an LLM: who it is about, which
 * attribute, and its value. {@code "小林：我最喜欢的数字是 3"} is about 小林, attribute
 * {@code 最喜欢的数字是}, value {@code 3}; {@code "我对花生过敏"} has attribute {@code 对…过敏}, value
 * {@code 花生}; {@code "My favourite colour is blue"} attribute {@code favorite colour is}. Adverbs of the
 * present (现在, 目前) and changes ({@code 变成}, {@code 换成}) are read as the same attribute, and a clause
 * before a comma is read when the whole text is no fact ("老周现在住在大理，天天晒太阳"); a speaker label
 * stands for an omitted subject ("小林：现在住在深圳"). A text that is not one such clause (several
 * sentences, a question, no known attribute form) is no fact. Immutable.
 *
 * @param speaker   who the fact is about: the speaker label for first-person facts, else the named subject,
 *                  normalised (lower case); empty when unknown
 * @param attribute the attribute, normalised (synonyms unified, spaces removed)
 * @param value     the value, normalised for comparison (lower case, no spaces or punctuation)
 */
public record Fact(String speaker, String attribute, String value) {
    private static final Pattern LABEL = Pattern.compile("^(?:记忆|记住|备忘|remember|note)\\s*[:：]\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SPEAKER = Pattern.compile("^([^\\s:：,，。!！?？]{1,16}|[A-Za-z][\\w .'-]{0,30}?)\\s*[:：]\\s*(\\S.*)$");
    private static final Pattern TRAILING = Pattern.compile("[\\s。.!！~～]+$");
    private static final String CN_SUBJECT = "(?:现在|目前|如今)?(?<subj>(?!最|喜欢|的|对|住|在|搬|叫|来自)(?:我|你|他|她|[\\p{IsHan}]{1,6}?))?(?:现在|目前|如今|又|也)?";
    private static final Pattern VALUE_TAIL = Pattern.compile("(?:了|啦|呢|哦|啊|呀)+$");
    private static final String CN_NOUN = "[\\p{IsHan}A-Za-z]{1,8}";
    private static final List<Shape> SHAPES = List.of(
            new Shape(Pattern.compile("^" + CN_SUBJECT + "(?<attr>(?:最喜欢|最爱|最讨厌|喜欢)的" + CN_NOUN + "|的"
                    + CN_NOUN + ")(?:现在|目前)?(?<verb>是|为|叫|变成了?|换成了?|改成了?)\\s*(?<value>[^，,；;？?]{1,40})$"), null),
            new Shape(Pattern.compile("^" + CN_SUBJECT + "(?:现在)?(?<attr>住在|搬到了?|来自)\\s*(?<value>[^，,；;？?]{1,30})$"), "住在"),
            new Shape(Pattern.compile("^" + CN_SUBJECT + "(?:现在)?在(?<value>[^，,；;？?]{1,30})(?<attr>工作|上班|上学|读书)$"), "在…工作"),
            new Shape(Pattern.compile("^" + CN_SUBJECT + "对(?<value>[^，,；;？?]{1,20})(?<attr>过敏)$"), "对…过敏"),
            new Shape(Pattern.compile("^" + CN_SUBJECT + "(?:现在)?(?<attr>叫|名叫|的名字是)\\s*(?<value>[^，,；;？?]{1,20})$"), "叫"),
            new Shape(Pattern.compile("^(?<subj>my|his|her|their|our|[A-Z][a-z]+'s)\\s+(?<attr>[a-z][a-z ]{0,30}?)\\s+"
                    + "(?<verb>is|are)\\s+(?<value>[^,;?]{1,60})$", Pattern.CASE_INSENSITIVE), null),
            new Shape(Pattern.compile("^(?<subj>I|he|she|[A-Z][a-z]+)\\s+(?:now\\s+|still\\s+)?(?<attr>live|lives|work|works)"
                    + "\\s+(?:in|at|for)\\s+(?<value>[^,;?]{1,60})$", Pattern.CASE_INSENSITIVE), null),
            new Shape(Pattern.compile("^(?<subj>I|he|she|[A-Z][a-z]+)\\s+(?:am|is|'m)\\s+(?<attr>allergic)\\s+to\\s+"
                    + "(?<value>[^,;?]{1,40})$", Pattern.CASE_INSENSITIVE), null));

    private record Shape(Pattern pattern, String attribute) {
    }

    public Fact {
        Objects.requireNonNull(speaker, "speaker");
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(value, "value");
    }

    /** The fact a memory text states, if it is one clause of a known attribute form. */
    public static Optional<Fact> of(String text) {
        String s = LABEL.matcher(text.strip()).replaceFirst("");
        String label = "";
        Matcher speaker = SPEAKER.matcher(s);
        if (speaker.matches() && !speaker.group(1).isBlank()) {
            label = speaker.group(1).strip();
            s = LABEL.matcher(speaker.group(2).strip()).replaceFirst("");
        }
        s = TRAILING.matcher(s).replaceFirst("").strip();
        if (s.isEmpty() || s.length() > 80 || s.matches(".*[。！？!?；;\\n].*")) return Optional.empty();
        int comma = s.indexOf('，') >= 0 ? s.indexOf('，') : s.indexOf(',');
        Optional<Fact> whole = shaped(s, label);
        return whole.isPresent() || comma <= 0 ? whole : shaped(s.substring(0, comma).strip(), label);
    }

    /** The fact of one clause {@code s} by {@code label} (the speaker, or empty), if it has a known form. */
    private static Optional<Fact> shaped(String s, String label) {
        for (Shape shape : SHAPES) {
            Matcher m = shape.pattern().matcher(s);
            if (!m.matches()) continue;
            String value = normalise(m.group("value"));
            if (value.isEmpty()) continue;
            String subject = m.group("subj");
            if (subject == null && label.isEmpty()) continue;
            String about = subject == null || firstPerson(subject) ? label : subject.replaceFirst("'s$", "");
            String attr = shape.attribute() != null ? shape.attribute() : m.group("attr")
                    + (hasGroup(m, "verb") ? m.group("verb") : "");
            return Optional.of(new Fact(about.toLowerCase(Locale.ROOT).strip(), attribute(attr), value));
        }
        return Optional.empty();
    }

    /**
     * Whether the attribute holds several values at once (allergies, plain likes): a new value is then
     * added beside the others instead of replacing them.
     */
    public boolean multiValued() {
        return attribute.equals("对…过敏") || attribute.equals("allergic") || attribute.startsWith("喜欢的");
    }

    /** Whether both are about the same speaker and the same attribute (their values may differ). */
    public boolean sameAttribute(Fact other) {
        return speaker.equals(other.speaker) && attribute.equals(other.attribute);
    }

    private static boolean firstPerson(String subject) {
        return switch (subject.toLowerCase(Locale.ROOT)) {
            case "我", "my", "i" -> true;
            default -> false;
        };
    }

    private static boolean hasGroup(Matcher m, String name) {
        try {
            return m.group(name) != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String attribute(String raw) {
        return raw.toLowerCase(Locale.ROOT)
                .replace("最爱的", "最喜欢的").replace("favourite", "favorite")
                .replace("lives", "live").replace("works", "work")
                .replaceAll("\\s+", "").replaceAll("(?<=[a-z])(is|are)$", "is")
                .replaceAll("(?<=\\p{IsHan})(?:变成了?|换成了?|改成了?|为)$", "是");
    }

    private static String normalise(String value) {
        String v = value.toLowerCase(Locale.ROOT).replaceAll("[\\p{Punct}\\p{IsPunctuation}\\s《》“”「」]+", "");
        return VALUE_TAIL.matcher(v).replaceFirst("");
    }
}
