package dev.engram.config;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.DoublePredicate;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * Typed, validating reader over one TOML table. Every getter takes the default and the rule; a
 * value of the wrong type or outside the rule fails with a {@link ConfigException} naming the
 * full key ({@code memory.memory_build_interval}) and the rule. {@link #finish()} rejects keys
 * that no getter asked for. Every full key asked for is added to the {@code asked} set shared by a
 * section and its sub-sections, so the reader itself is the list of known keys. Not thread-safe;
 * used once at start-up.
 */
final class Section {
    private final String path;
    private final JsonNode node;
    private final Set<String> seen = new LinkedHashSet<>();
    private final Set<String> asked;

    Section(String path, JsonNode node, Set<String> asked) {
        this.path = path;
        this.asked = asked;
        this.node = node == null || node.isMissingNode() || node.isNull() ? MissingNode.getInstance() : node;
        if (!this.node.isMissingNode() && !this.node.isObject()) {
            throw new ConfigException("[" + path + "] must be a table");
        }
    }

    Section section(String name) {
        seen.add(name);
        return new Section(key(name), node.path(name), asked);
    }

    /** An enum constant by its lower-case name; anything else fails listing the allowed names. */
    <E extends Enum<E>> E choice(String name, E def) {
        E[] constants = def.getDeclaringClass().getEnumConstants();
        List<String> names = new ArrayList<>();
        for (E e : constants) names.add(e.name().toLowerCase(Locale.ROOT));
        String value = string(name, names.get(def.ordinal()), names::contains,
                "must be one of \"" + String.join("\", \"", names) + "\"");
        return constants[names.indexOf(value)];
    }

    String string(String name, String def, Predicate<String> rule, String ruleText) {
        JsonNode v = value(name);
        if (v == null) return def;
        if (!v.isTextual()) throw wrongType(name, "a string", v);
        String s = v.textValue();
        if (!rule.test(s)) throw broken(name, ruleText, v);
        return s;
    }

    boolean bool(String name, boolean def) {
        JsonNode v = value(name);
        if (v == null) return def;
        if (!v.isBoolean()) throw wrongType(name, "true or false", v);
        return v.booleanValue();
    }

    long integer(String name, long def, LongPredicate rule, String ruleText) {
        JsonNode v = value(name);
        if (v == null) return def;
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw wrongType(name, "an integer", v);
        long l = v.longValue();
        if (!rule.test(l)) throw broken(name, ruleText, v);
        return l;
    }

    int intValue(String name, int def, int min, int max) {
        return (int) integer(name, def, l -> l >= min && l <= max, "must be an integer in [" + min + ", " + max + "]");
    }

    double number(String name, double def, DoublePredicate rule, String ruleText) {
        JsonNode v = value(name);
        if (v == null) return def;
        if (!v.isNumber()) throw wrongType(name, "a number", v);
        double d = v.doubleValue();
        if (!Double.isFinite(d) || !rule.test(d)) throw broken(name, ruleText, v);
        return d;
    }

    List<Double> numbers(String name, List<Double> def, Predicate<List<Double>> rule, String ruleText) {
        JsonNode v = value(name);
        if (v == null) return def;
        if (!v.isArray()) throw wrongType(name, "an array of numbers", v);
        List<Double> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isNumber()) throw wrongType(name, "an array of numbers", v);
            out.add(e.doubleValue());
        }
        if (!rule.test(out)) throw broken(name, ruleText, v);
        return List.copyOf(out);
    }

    List<String> strings(String name, List<String> def) {
        JsonNode v = value(name);
        if (v == null) return def;
        if (!v.isArray()) throw wrongType(name, "an array of strings", v);
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual()) throw wrongType(name, "an array of strings", v);
            out.add(e.textValue());
        }
        return List.copyOf(out);
    }

    /** Fails if the table holds a key no getter asked for (a typo would otherwise be ignored). */
    void finish() {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!seen.contains(name)) {
                throw new ConfigException("unknown key " + key(name) + " (known keys in [" + path + "]: "
                        + String.join(", ", seen) + ")");
            }
        }
    }

    /** The full name of this table ({@code recall.weights}). */
    String path() {
        return path;
    }

    String key(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    ConfigException broken(String name, String ruleText, JsonNode v) {
        return new ConfigException(key(name) + " " + ruleText + " (got " + v + ")");
    }

    private JsonNode value(String name) {
        seen.add(name);
        asked.add(key(name));
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v;
    }

    private ConfigException wrongType(String name, String expected, JsonNode v) {
        return new ConfigException(key(name) + " must be " + expected + " (got " + v + ")");
    }
}
