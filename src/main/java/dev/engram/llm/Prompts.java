package dev.engram.llm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The prompt templates, one per {@link PromptId}, with {@code {name}} placeholders ({@code name} is
 * lowercase letters, digits and {@code _}; other braces, e.g. in JSON examples, are literal text).
 *
 * <p>Rendering replaces every placeholder in one pass (values are never re-scanned) and fails with an
 * {@link IllegalArgumentException} naming the prompt and the missing variable. Extra variables are allowed.
 * Immutable and thread-safe; {@link #loadDefault()} reads the classpath once per JVM.
 */
public final class Prompts {

    /** A template placeholder: {@code {name}} with a lower-case snake_case name. */
    public static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z][a-z0-9_]*)}");

    private final Map<PromptId, String> templates;
    private final Map<PromptId, Set<String>> variables;

    private Prompts(Map<PromptId, String> templates) {
        EnumMap<PromptId, String> copy = new EnumMap<>(PromptId.class);
        EnumMap<PromptId, Set<String>> vars = new EnumMap<>(PromptId.class);
        for (PromptId id : PromptId.values()) {
            String template = templates.get(id);
            if (template == null || template.isBlank()) {
                throw new IllegalArgumentException("no template for prompt " + id.key());
            }
            copy.put(id, template);
            Set<String> names = new LinkedHashSet<>();
            PLACEHOLDER.matcher(template).results().forEach(r -> names.add(r.group(1)));
            vars.put(id, Collections.unmodifiableSet(names));
        }
        this.templates = Collections.unmodifiableMap(copy);
        this.variables = Collections.unmodifiableMap(vars);
    }

    /** @return the templates shipped in {@code prompts/*.txt} on the classpath (loaded once, shared) */
    public static Prompts loadDefault() {
        return DefaultHolder.INSTANCE;
    }

    /**
     * @param templates a template for every {@link PromptId}
     * @return prompts using these templates instead of the shipped ones
     */
    public static Prompts of(Map<PromptId, String> templates) {
        return new Prompts(Objects.requireNonNull(templates, "templates"));
    }

    /** @return the raw template of {@code id} */
    public String template(PromptId id) {
        return templates.get(Objects.requireNonNull(id, "id"));
    }

    /** @return the placeholder names of {@code id}, in order of first appearance */
    public Set<String> variables(PromptId id) {
        return variables.get(Objects.requireNonNull(id, "id"));
    }

    /**
     * @param id   which template
     * @param vars a value for every placeholder of the template
     * @return the template with every placeholder replaced
     * @throws IllegalArgumentException when a placeholder has no (or a null) value
     */
    public String render(PromptId id, Map<String, String> vars) {
        Objects.requireNonNull(vars, "vars");
        requireVariables(id, vars);
        Matcher m = PLACEHOLDER.matcher(template(id));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(vars.get(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Renders {@code id} into a request with the prompt's default temperature and token limit.
     *
     * @throws IllegalArgumentException when a placeholder has no value
     */
    public LlmRequest request(PromptId id, ModelSlot slot, Map<String, String> vars) {
        return request(id, slot, vars, id.defaultTemperature(), id.defaultMaxTokens());
    }

    /** Renders {@code id} into a request with explicit sampling settings. */
    public LlmRequest request(PromptId id, ModelSlot slot, Map<String, String> vars, double temperature,
                              int maxTokens) {
        String rendered = render(id, vars);
        Map<String, String> used = new HashMap<>();
        for (String name : variables(id)) {
            used.put(name, vars.get(name));
        }
        return new LlmRequest(id, slot, used, rendered, temperature, maxTokens);
    }

    private void requireVariables(PromptId id, Map<String, String> vars) {
        for (String name : variables(id)) {
            if (vars.get(name) == null) {
                throw new IllegalArgumentException("prompt " + id.key() + " needs variable {" + name
                        + "}, which is " + (vars.containsKey(name) ? "null" : "missing")
                        + "; required: " + variables(id) + ", given: " + new TreeSet<>(vars.keySet()));
            }
        }
    }

    private static Prompts loadFromClasspath() {
        EnumMap<PromptId, String> loaded = new EnumMap<>(PromptId.class);
        ClassLoader loader = Prompts.class.getClassLoader();
        for (PromptId id : PromptId.values()) {
            try (InputStream in = loader.getResourceAsStream(id.resource())) {
                if (in == null) {
                    throw new IllegalStateException("prompt template " + id.resource() + " is not on the classpath");
                }
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (text.startsWith("\uFEFF")) {
                    text = text.substring(1);
                }
                loaded.put(id, text.stripTrailing());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read prompt template " + id.resource(), e);
            }
        }
        return new Prompts(loaded);
    }

    /** Lazy, thread-safe (class initialisation) holder of the shipped templates. */
    private static final class DefaultHolder {
        static final Prompts INSTANCE = loadFromClasspath();
    }
}
