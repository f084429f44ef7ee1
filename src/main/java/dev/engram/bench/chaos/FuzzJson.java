package dev.engram.bench.chaos;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Hostile JSON bodies for a route whose required text field is {@code field} ({@code message} or
 * {@code content}): not JSON, truncated, wrongly typed, empty, whitespace- or invisible-only, lone
 * surrogates, huge numbers, deep nesting, oversize, duplicate keys, invalid UTF-8, odd ids. Deterministic
 * for a given random source.
 */
final class FuzzJson {
    /** Values of the wrong type or of an odd shape for any field. */
    static final List<String> ODD_VALUES = List.of("123", "-0", "1e999999", "-1e999999", "99999999999999999999999999999",
            "0.000000000000000000000000000001", "true", "false", "null", "[]", "{}", "[\"a\"]", "{\"a\": 1}", "\"\"",
            "\"   \"", "\"\\t\\n\\r\"", "\"\\u200b\\u200b\"", "\"\\ufeff\"", "\"\\u2060\\u00ad\"", "\"\\u0000\"",
            "\"\\ud800\"", "\"\\udfff\"", "\"a\\ud800b\"", "\"\\udc00\\ud800\"", "\"\\u202e\\u202d\"", "NaN", "Infinity",
            "\"\\uD83D\"", "'single'", "undefined", "0x1F", "\"\\x41\"", "\"\\u12\"", "\"a\\\"");
    /** Whole bodies that are not a JSON object with fields. */
    static final List<String> NOT_OBJECTS = List.of("", " ", "\n", "null", "[]", "\"text\"", "123", "true", "{", "}",
            "{\"", "{\"message\"", "{\"message\":", "{\"message\": \"unterminated", "{,}", "{\"a\" 1}", "{'message': 'x'}",
            "{\"message\": \"x\",}", "{\"message\": \"x\" /* c */}", "// c\n{\"message\": \"x\"}", "{\"message\": \"x\"}}",
            "{\"message\": \"x\"} {\"message\": \"y\"}", "\ufeff{\"message\": \"x\"}", "[{\"message\": \"x\"}]",
            "{\"message\": \"x\"", "{\"message\": 'x'}", "{message: \"x\"}");
    private static final List<String> ID_FIELDS = List.of("chat_id", "user_id", "user_name", "message_id");
    private static final byte[][] BAD_UTF8 = {
        {(byte) 0xff}, {(byte) 0xfe, (byte) 0xff}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xe0, (byte) 0x80, (byte) 0xaf},
        {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xed, (byte) 0xbf, (byte) 0xbf}, {(byte) 0xe4, (byte) 0xb8},
        {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}, {(byte) 0xf4, (byte) 0x90,
            (byte) 0x80, (byte) 0x80}, {(byte) 0xc3}};

    private FuzzJson() {
    }

    /** @return a hostile body for a route whose text field is {@code field}; {@code chatRequired} for /api/memory */
    static byte[] body(SplittableRandom r, String field, boolean chatRequired) {
        return switch (r.nextInt(12)) {
            case 0 -> utf8(NOT_OBJECTS.get(r.nextInt(NOT_OBJECTS.size())));
            case 1, 2 -> utf8("{" + pair(field, pick(r, ODD_VALUES)) + chat(r, chatRequired) + "}");
            case 3, 4 -> utf8("{" + pair(field, "\"fuzz " + r.nextInt(1000) + "\"") + ", "
                    + pair(ID_FIELDS.get(r.nextInt(ID_FIELDS.size())), pick(r, ODD_VALUES)) + "}");
            case 5 -> utf8("{" + pair(field, nested(r, 1 + r.nextInt(r.nextBoolean() ? 50 : 20_000))) + "}");
            case 6 -> utf8(nested(r, 100 + r.nextInt(30_000)));
            case 7 -> utf8("{" + pair(field, "\"" + "很长的消息".repeat(4_400 + r.nextInt(600)) + "\"") + "}"); // > 64 KiB
            case 8 -> invalidUtf8(r, field);
            case 9 -> utf8("{" + pair(field, "\"a\"") + ", " + pair(field, pick(r, ODD_VALUES)) + chat(r, chatRequired)
                    + ", \"extra\": " + pick(r, ODD_VALUES) + "}");
            case 10 -> utf8("{\"" + field.toUpperCase() + "\": \"x\"" + chat(r, chatRequired) + "}");
            default -> utf8("{" + pair(field, pick(r, ODD_VALUES)) + ", " + pair("chat_id", pick(r, ODD_VALUES)) + ", "
                    + pair("message_id", pick(r, ODD_VALUES)) + "}");
        };
    }

    private static String chat(SplittableRandom r, boolean required) {
        return required && r.nextBoolean() ? ", \"chat_id\": \"fuzz-" + r.nextInt(20) + "\"" : "";
    }

    private static String pair(String name, String value) {
        return "\"" + name + "\": " + value;
    }

    static String pick(SplittableRandom r, List<String> values) {
        return values.get(r.nextInt(values.size()));
    }

    /** @return arrays or objects nested {@code depth} deep */
    static String nested(SplittableRandom r, int depth) {
        boolean arrays = r.nextBoolean();
        StringBuilder b = new StringBuilder(depth * 6);
        for (int i = 0; i < depth; i++) b.append(arrays ? "[" : "{\"a\":");
        b.append("1");
        for (int i = 0; i < depth; i++) b.append(arrays ? "]" : "}");
        return b.toString();
    }

    private static byte[] invalidUtf8(SplittableRandom r, String field) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String target = r.nextBoolean() ? field : "chat_id";
        out.writeBytes(utf8("{\"" + field + "\": \"ok\", \"" + target + "\": \"a"));
        out.writeBytes(BAD_UTF8[r.nextInt(BAD_UTF8.length)]);
        out.writeBytes(utf8("b\"}"));
        return out.toByteArray();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
