package dev.engram.bench.chaos;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one chaos run: the JSON document of {@code --out} (the keys first, then the
 * details per scenario) and the printed table. A scenario not run has no figures (its keys are null).
 */
public record ChaosReport(ChaosOptions options, ServerRounds.Result kill, ServerRounds.Result sigterm,
                          LlmFaults.Result llm, Fuzzer.Result fuzz, Isolation.Result isolation,
                          HotChat.Result hotChat, Map<String, Double> scenarioSeconds, double seconds) {
    /** The bound on the restart to the first {@code /health} answer of a hot-chat round. */
    static final long HOT_CHAT_HEALTH_MS_BOUND = 15_000;

    /** @return whether every figure that must be zero is zero (for the scenarios that ran) */
    public boolean passed() {
        return Boolean.TRUE.equals(document().get("passed"));
    }

    /** @return the {@code --out} document */
    public Map<String, Object> document() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("kill_rounds", kill == null ? null : kill.rounds());
        Integer acked = sum(kill == null ? null : kill.acknowledged(), sigterm == null ? null : sigterm.acknowledged());
        d.put("acknowledged", acked);
        d.put("lost", sum(kill == null ? null : kill.lost(), sigterm == null ? null : sigterm.lost()));
        d.put("duplicated", sum(kill == null ? null : kill.duplicated(), sigterm == null ? null : sigterm.duplicated()));
        d.put("sigterm_rounds", sigterm == null ? null : sigterm.rounds());
        d.put("jvm_crashes", sigterm == null ? null : sigterm.crashes());
        d.put("sigterm_bad_exits", sigterm == null ? null : sigterm.exitCodes().entrySet().stream()
                .filter(e -> e.getKey() != 0 && e.getKey() != 143).mapToInt(Map.Entry::getValue).sum());
        d.put("fuzz_requests", fuzz == null ? null : fuzz.requests());
        d.put("fuzz_5xx", fuzz == null ? null : fuzz.fiveXx());
        d.put("fuzz_hangs", fuzz == null ? null : fuzz.hangs());
        d.put("fuzz_505_unsupported_version", fuzz == null ? null : fuzz.versionNotSupported());
        d.put("isolation_pairs", isolation == null ? null : isolation.pairs() + isolation.messagePairs());
        d.put("leaks", isolation == null ? null : isolation.leaks());
        d.put("llm_failure_rate", llm == null ? null : llm.rate());
        d.put("failed_memory_paths", llm == null ? null : llm.failedMemoryPaths());
        hotChat(d);
        d.put("passed", passed(d));
        d.put("seconds", Math.round(seconds * 10) / 10.0);
        d.put("scenario_seconds", scenarioSeconds);
        d.put("seed", options.seed());
        d.put("kill", kill);
        d.put("sigterm", sigterm);
        d.put("llm", llm);
        d.put("fuzz", fuzz);
        d.put("isolation", isolation);
        d.put("hot_chat", hotChat);
        return d;
    }

    /** The hot-chat keys; a health bound exceeded, a round without backlog or not drained counts in its key. */
    private void hotChat(Map<String, Object> d) {
        HotChat.Result h = hotChat;
        d.put("hot_chat_rounds", h == null ? null : h.rounds().size());
        d.put("hot_chat_acknowledged", h == null ? null : h.acknowledged());
        d.put("hot_chat_lost", h == null ? null : h.lost());
        d.put("hot_chat_duplicated", h == null ? null : h.duplicated());
        d.put("hot_chat_unsearchable", h == null ? null : h.unsearchable());
        d.put("hot_chat_health_ms_max", h == null ? null : h.healthMsMax());
        d.put("hot_chat_ok_ms_max", h == null ? null : h.okMsMax());
        d.put("hot_chat_drain_ms_max", h == null ? null : h.drainMsMax());
        d.put("hot_chat_backlog_min", h == null ? null : h.hotBacklogMin());
        d.put("hot_chat_slow_health_rounds", h == null ? null
                : h.rounds().stream().filter(r -> r.healthMs() > HOT_CHAT_HEALTH_MS_BOUND).count());
        d.put("hot_chat_rounds_without_backlog", h == null ? null
                : h.rounds().stream().filter(r -> r.hotBacklog() == 0).count());
        d.put("hot_chat_rounds_not_drained", h == null ? null
                : h.rounds().stream().filter(r -> r.drainMs() < 0 || r.okMs() < 0).count());
    }

    private static boolean passed(Map<String, Object> d) {
        for (String key : new String[] {"lost", "duplicated", "jvm_crashes", "fuzz_5xx", "fuzz_hangs", "leaks",
            "failed_memory_paths", "sigterm_bad_exits", "hot_chat_lost", "hot_chat_duplicated", "hot_chat_unsearchable",
            "hot_chat_slow_health_rounds", "hot_chat_rounds_without_backlog", "hot_chat_rounds_not_drained"}) {
            if (d.get(key) instanceof Number n && n.longValue() != 0) return false;
        }
        return true;
    }

    private static Integer sum(Integer a, Integer b) {
        if (a == null && b == null) return null;
        return (a == null ? 0 : a) + (b == null ? 0 : b);
    }

    /** @return the printed table: one row per scenario with what it did and what must be zero */
    public String table() {
        StringBuilder t = new StringBuilder();
        t.append("| scenario | ran | figures | must be 0 |\n|---|---|---|---|\n");
        if (kill != null) t.append(rounds("SIGKILL under load", kill, options.killRounds()));
        if (sigterm != null) {
            t.append(rounds("SIGTERM under load", sigterm, options.sigtermRounds()).replace("| lost ",
                    "| JVM crashes " + sigterm.crashes() + ", lost "));
        }
        if (llm != null) {
            t.append(String.format(Locale.ROOT, "| LLM faults %.0f %% | %d calls; %d of %d in fault phases failed "
                            + "(%.1f %%: %s) | replies %s; memory_status %s; %d retries, %d store tasks failed for good, "
                            + "%d dead letters%s | failed memory paths %d |%n", llm.rate() * 100, llm.llmCalls(), llm.injectedTotal(), llm.eligible(),
                    llm.injectedRate() * 100, llm.injected(), llm.replies(),
                    llm.memoryStatuses(), llm.retried(), llm.failedTasks(), llm.dead(), llm.recovered() ? "; recovered" : "; NOT recovered",
                    llm.failedMemoryPaths()));
        }
        if (isolation != null) {
            t.append(String.format(Locale.ROOT, "| isolation | %d chats (%d ids refused) | %d search pairs, %d message "
                            + "pairs, %d own secrets not found, %d errors | leaks %d |%n", isolation.chats(),
                    isolation.refused(), isolation.pairs(), isolation.messagePairs(), isolation.ownMissing(),
                    isolation.errors(), isolation.leaks()));
        }
        if (fuzz != null) {
            t.append(String.format(Locale.ROOT, "| fuzz | %,d requests in %.0f s | statuses %s (0 = closed; %d × 505 "
                            + "answer an unsupported HTTP version), %d client errors, slowest %d ms | 5xx %d, hangs %d |%n",
                    fuzz.requests(), fuzz.seconds(), fuzz.statuses(), fuzz.versionNotSupported(), fuzz.ioErrors(),
                    fuzz.slowestMs(), fuzz.fiveXx(), fuzz.hangs()));
        }
        if (hotChat != null) t.append(hotChatRow(hotChat, options.hotChatRounds()));
        t.append(String.format(Locale.ROOT, "%nwall time %.0f s %s; %s%n", seconds, scenarioSeconds, passed() ? "every must-be-zero figure is 0"
                : "FAILED: a must-be-zero figure is not 0 (see --out for details)"));
        return t.toString();
    }

    private static String hotChatRow(HotChat.Result h, int asked) {
        return String.format(Locale.ROOT, "| hot chat (%d + %d + %d clients), SIGKILL, restart | %d rounds%s | %d "
                        + "acknowledged, %d redelivered, hot backlog at kill ≥ %d, first /health ≤ %d ms (bound %d), ok ≤ %d "
                        + "ms, drained ≤ %d ms | lost %d, duplicated %d, unsearchable %d |%n", HotChat.HOT_CLIENTS,
                HotChat.SPREAD_CLIENTS, HotChat.MEMORY_CLIENTS, h.rounds().size(),
                h.rounds().size() < asked ? " of " + asked + " (time budget)" : "", h.acknowledged(), h.redelivered(),
                h.hotBacklogMin(), h.healthMsMax(), HOT_CHAT_HEALTH_MS_BOUND, h.okMsMax(), h.drainMsMax(), h.lost(),
                h.duplicated(), h.unsearchable());
    }

    /** @return the hot-chat rounds one per row, or "" when the scenario did not run */
    public String hotChatTable() {
        if (hotChat == null) return "";
        StringBuilder t = new StringBuilder("| round | acknowledged | load ms | hot backlog at kill | other chats' "
                + "backlog | outbox_live | visibility lag s | first /health | health ms | ok ms | drain ms | lost | "
                + "duplicated | unsearchable |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (HotChat.Round r : hotChat.rounds()) {
            t.append(String.format(Locale.ROOT, "| %d | %d | %d | %d | %d | %d | %.1f | %s | %d | %d | %d | %d | %d | %d |%n",
                    r.round(), r.acknowledged(), r.loadMs(), r.hotBacklog(), r.otherBacklog(), r.outboxLive(),
                    r.lagSeconds(), r.firstHealth(), r.healthMs(), r.okMs(), r.drainMs(), r.lost(), r.duplicated(),
                    r.unsearchable()));
        }
        return t.toString();
    }

    private static String rounds(String name, ServerRounds.Result r, int asked) {
        return String.format(Locale.ROOT, "| %s | %d rounds%s | %d acknowledged, %d redelivered, exits %s, longest stop "
                        + "%d ms, outbox drained %s | lost %d (%d unsearchable), duplicated %d |%n", name, r.rounds(),
                r.rounds() < asked ? " of " + asked + " (time budget)" : "", r.acknowledged(), r.redelivered(),
                r.exitCodes().isEmpty() ? "-" : r.exitCodes(), r.maxStopMs(), r.drained(), r.lost(), r.unsearchable(),
                r.duplicated());
    }
}
