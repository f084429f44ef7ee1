package dev.engram.eval;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads conversations in the LoCoMo JSON format (a top-level array of samples, or one sample object).
 * Tolerant, as {@code shared/data/README.md} asks: unknown keys are ignored, answers may be numbers,
 * evidence may be empty or a {@code ;}-separated string, image turns contribute their caption, and
 * session dates like {@code 6:45 pm on 12 January, 2025} are parsed (an unreadable date is
 * {@code null}). Stateless and thread-safe.
 */
public final class LocomoLoader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SESSION = Pattern.compile("session_(\\d+)");
    private static final Pattern DATE = Pattern.compile(
            "(\\d{1,2}):(\\d{2})\\s*([ap])\\.?m\\.?\\s+on\\s+(\\d{1,2})\\s+([A-Za-z]+),?\\s+(\\d{4})", Pattern.CASE_INSENSITIVE);
    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
            "oct", "nov", "dec");

    private LocomoLoader() {
    }

    /** Classpath location of the dev set that ships with Engram (original synthetic data, see its README). */
    public static final String DEV_SET = "eval/dev-memory-set.json";

    /** The shipped dev set: four long chats with 180 questions, the default input of {@code eval} and {@code bench}. */
    public static List<LocomoSample> loadDevSet() throws IOException {
        try (InputStream in = LocomoLoader.class.getClassLoader().getResourceAsStream(DEV_SET)) {
            if (in == null) throw new IOException("the dev set " + DEV_SET + " is missing from the classpath");
            return read(in);
        }
    }

    /** Samples of {@code file}, or of the shipped dev set when {@code file} is null. */
    public static List<LocomoSample> loadOrDevSet(Path file) throws IOException {
        return file == null ? loadDevSet() : load(file);
    }

    public static List<LocomoSample> load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    public static List<LocomoSample> read(InputStream in) throws IOException {
        JsonNode root = JSON.readTree(in);
        List<LocomoSample> samples = new ArrayList<>();
        if (root == null) return samples;
        if (root.isArray()) {
            int i = 0;
            for (JsonNode s : root) samples.add(sample(s, i++));
        } else if (root.isObject()) {
            samples.add(sample(root, 0));
        } else {
            throw new IOException("a LoCoMo file holds an array of samples, found " + root.getNodeType());
        }
        return samples;
    }

    /** Parses {@code h:mm am/pm on D Month, YYYY}; ISO date-times are accepted too. Null when unreadable. */
    public static LocalDateTime parseDate(String text) {
        if (text == null) return null;
        Matcher m = DATE.matcher(text);
        if (m.find()) {
            int month = MONTHS.indexOf(m.group(5).toLowerCase(Locale.ROOT).substring(0, Math.min(3, m.group(5).length()))) + 1;
            if (month == 0) return null;
            int hour = Integer.parseInt(m.group(1)) % 12 + (m.group(3).equalsIgnoreCase("p") ? 12 : 0);
            try {
                return LocalDateTime.of(Integer.parseInt(m.group(6)), month, Integer.parseInt(m.group(4)), hour,
                        Integer.parseInt(m.group(2)));
            } catch (java.time.DateTimeException e) {
                return null;
            }
        }
        try {
            return LocalDateTime.parse(text.strip().replace(' ', 'T'));
        } catch (DateTimeParseException e) {
            try {
                return java.time.LocalDate.parse(text.strip()).atTime(LocalTime.NOON);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static LocomoSample sample(JsonNode s, int index) {
        String id = text(s.get("sample_id"));
        if (id.isBlank()) id = "sample-" + (index + 1);
        JsonNode conv = s.path("conversation");
        List<LocomoSample.Session> sessions = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : conv.properties()) {
            Matcher m = SESSION.matcher(e.getKey());
            if (!m.matches() || !e.getValue().isArray()) continue;
            int number = Integer.parseInt(m.group(1));
            LocalDateTime at = parseDate(text(conv.get(e.getKey() + "_date_time")));
            sessions.add(new LocomoSample.Session(number, at, turns(e.getValue(), number)));
        }
        sessions.sort(Comparator.comparingInt(LocomoSample.Session::number));
        List<LocomoSample.Question> questions = new ArrayList<>();
        for (JsonNode q : s.path("qa")) {
            String question = text(q.get("question"));
            if (question.isBlank()) continue;
            String answer = q.hasNonNull("answer") ? text(q.get("answer")) : null;
            questions.add(new LocomoSample.Question(question, answer, evidence(q.get("evidence")), category(q.get("category"))));
        }
        return new LocomoSample(id, text(conv.get("speaker_a")), text(conv.get("speaker_b")), sessions, questions);
    }

    private static List<LocomoSample.Turn> turns(JsonNode array, int session) {
        List<LocomoSample.Turn> turns = new ArrayList<>();
        int i = 0;
        for (JsonNode t : array) {
            i++;
            String text = text(t.get("text")).strip();
            String caption = text(t.get("blip_caption")).strip();
            if (!caption.isEmpty()) text = (text + " [image: " + caption + "]").strip();
            if (text.isEmpty()) continue;
            String diaId = text(t.get("dia_id")).strip();
            turns.add(new LocomoSample.Turn(text(t.get("speaker")), diaId.isEmpty() ? "D" + session + ":" + i : diaId, text));
        }
        return turns;
    }

    private static List<String> evidence(JsonNode node) {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        if (node == null || node.isNull()) return List.of();
        List<JsonNode> items = new ArrayList<>();
        if (node.isArray()) node.forEach(items::add);
        else items.add(node);
        for (JsonNode item : items) {
            for (String id : text(item).split("[;,\\s]+")) {
                if (!id.isBlank()) ids.add(id.strip());
            }
        }
        return List.copyOf(ids);
    }

    private static int category(JsonNode node) {
        if (node == null || node.isNull()) return 0;
        if (node.isNumber()) return node.intValue();
        try {
            return Integer.parseInt(node.asText().strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? "" : node.asText();
    }
}
