package dev.engram.llm;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads the one JSON object a model was asked for, repairing the usual near-JSON: a Markdown code
 * fence around it, prose before or after it, single quotes, unquoted keys, trailing commas, curly
 * ("smart") quotes, full-width punctuation between tokens, and Python literals. Anything that is
 * still not an object after that is rejected (empty result), never guessed at. Pure; thread-safe
 * (the mapper is configured once and never changed).
 */
final class NearJson {
    private static final ObjectMapper LENIENT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES, JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES,
                    JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS,
                    JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    private static final Pattern FENCE = Pattern.compile("```[a-zA-Z]*\\s*\\R?(.*?)```", Pattern.DOTALL);
    private static final Pattern PYTHON_LITERAL = Pattern.compile("(?<=[:\\[,]\\s?)(True|False|None)(?=\\s*[,}\\]])");

    private NearJson() {
    }

    /** The first JSON object in {@code text}, repaired if needed, or empty. */
    static Optional<JsonNode> object(String text) {
        if (text == null || text.isBlank()) return Optional.empty();
        String body = text.strip();
        Matcher fence = FENCE.matcher(body);
        if (fence.find()) body = fence.group(1);
        Optional<String> candidate = outermostObject(body);
        if (candidate.isEmpty()) return Optional.empty();
        Optional<JsonNode> parsed = parse(candidate.get());
        return parsed.isPresent() ? parsed : parse(repairPunctuation(candidate.get()));
    }

    /** The text from the first {@code {} to its matching {@code }}, skipping braces inside strings. */
    static Optional<String> outermostObject(String text) {
        int start = text.indexOf('{');
        if (start < 0) return Optional.empty();
        int depth = 0;
        char quote = 0;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return Optional.of(text.substring(start, i + 1));
            }
        }
        // unbalanced (the model stopped early): close what is open and let the parser judge
        return Optional.of(text.substring(start) + (quote != 0 ? String.valueOf(quote) : "") + "}".repeat(Math.max(depth, 1)));
    }

    private static Optional<JsonNode> parse(String json) {
        try {
            JsonNode node = LENIENT.readTree(json);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** Second chance: curly quotes to straight ones, full-width {@code ：，} outside strings, Python literals. */
    private static String repairPunctuation(String json) {
        String s = json.replace('\u201C', '"').replace('\u201D', '"').replace('\u2018', '\'').replace('\u2019', '\'');
        StringBuilder out = new StringBuilder(s.length());
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\' && i + 1 < s.length()) {
                    out.append(c).append(s.charAt(++i));
                    continue;
                }
                if (c == quote) quote = 0;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '：') {
                c = ':';
            } else if (c == '，') {
                c = ',';
            }
            out.append(c);
        }
        return PYTHON_LITERAL.matcher(out).replaceAll(r -> switch (r.group(1)) {
            case "True" -> "true";
            case "False" -> "false";
            default -> "null";
        });
    }
}
