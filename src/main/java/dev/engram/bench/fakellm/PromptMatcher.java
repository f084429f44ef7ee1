package dev.engram.bench.fakellm;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.engram.llm.PromptId;
import dev.engram.llm.Prompts;

/**
 * Inverts rendering: given a rendered prompt, finds the template it came from and the variable values.
 * Each template becomes an anchored regex whose literal parts are quoted and whose placeholders are
 * reluctant named groups (repeats become back-references). Used by {@link FakeLlmServer} to answer memory
 * prompts with contract-valid output. Immutable and thread-safe.
 */
final class PromptMatcher {

    /**
     * @param id        the recognised prompt
     * @param variables the recovered placeholder values
     */
    record Match(PromptId id, Map<String, String> variables) {
    }

    private final Map<PromptId, Pattern> patterns = new EnumMap<>(PromptId.class);
    private final Map<PromptId, Set<String>> names = new EnumMap<>(PromptId.class);

    PromptMatcher(Prompts prompts) {
        for (PromptId id : PromptId.values()) {
            String template = prompts.template(id);
            Set<String> seen = new LinkedHashSet<>();
            StringBuilder regex = new StringBuilder("^");
            Matcher m = Prompts.PLACEHOLDER.matcher(template);
            int last = 0;
            while (m.find()) {
                regex.append(Pattern.quote(template.substring(last, m.start())));
                String name = m.group(1);
                String group = groupName(name);
                regex.append(seen.add(name) ? "(?<" + group + ">.*?)" : "\\k<" + group + ">");
                last = m.end();
            }
            regex.append(Pattern.quote(template.substring(last))).append("\\s*$");
            patterns.put(id, Pattern.compile(regex.toString(), Pattern.DOTALL));
            names.put(id, seen);
        }
    }

    /** @return the first prompt (in {@link PromptId} order) whose template produces {@code rendered} */
    Optional<Match> match(String rendered) {
        if (rendered == null) {
            return Optional.empty();
        }
        for (Map.Entry<PromptId, Pattern> e : patterns.entrySet()) {
            Matcher m = e.getValue().matcher(rendered);
            if (m.matches()) {
                Map<String, String> vars = new LinkedHashMap<>();
                for (String name : names.get(e.getKey())) {
                    vars.put(name, m.group(groupName(name)));
                }
                return Optional.of(new Match(e.getKey(), vars));
            }
        }
        return Optional.empty();
    }

    /** Java group names allow only letters and digits. */
    private static String groupName(String placeholder) {
        return "v" + placeholder.replace("_", "U");
    }
}
