package dev.engram.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns load results into the JSON document, the console table and the self-contained HTML report. */
final class LoadReport {
    private LoadReport() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> document(LoadBenchOptions o, Map<String, LoadRun.Result> results) {
        Map<String, Object> modes = new LinkedHashMap<>();
        for (LoadRun.Result r : results.values()) {
            List<LoadSample> all = r.samples();
            List<LoadSample> inBuild = all.stream().filter(s -> s.atMs() >= r.buildStartMs() && s.atMs() <= r.buildEndMs()).toList();
            List<LoadSample> outside = all.stream().filter(s -> s.atMs() < r.buildStartMs() || s.atMs() > r.buildEndMs()).toList();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("reply_ms", LoadStats.percentiles(all, LoadSample::replyMs));
            m.put("memory_ms", LoadStats.percentiles(all, LoadSample::memoryMs));
            m.put("throughput_rps", LoadStats.round(all.stream().filter(LoadSample::ok).count() / r.elapsedS()));
            m.put("errors", all.stream().filter(s -> !s.ok()).count());
            m.put("requests", all.size());
            m.put("build_window", Map.of("start_ms", LoadStats.round(r.buildStartMs()), "end_ms", LoadStats.round(r.buildEndMs()),
                    "state", r.buildState(),
                    "reply_ms", LoadStats.percentiles(inBuild, LoadSample::replyMs),
                    "memory_ms", LoadStats.percentiles(inBuild, LoadSample::memoryMs)));
            m.put("outside_build", Map.of("reply_ms", LoadStats.percentiles(outside, LoadSample::replyMs),
                    "memory_ms", LoadStats.percentiles(outside, LoadSample::memoryMs)));
            m.put("seed_checks", Map.of("single_message_ms", LoadStats.round(r.singleMs()),
                    "ten_concurrent_total_ms", LoadStats.round(r.tenConcurrentMs())));
            modes.put(r.mode(), m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("modes", modes);
        Map<String, Object> a = (Map<String, Object>) modes.get("async");
        Map<String, Object> b = (Map<String, Object>) modes.get("blocking");
        Map<String, Object> ratios = new LinkedHashMap<>();
        ratios.put("reply_p50_async_over_blocking", ratio(p(a, "reply_ms", "p50"), p(b, "reply_ms", "p50")));
        ratios.put("async_build_p99_over_outside_p99", ratio(p((Map<String, Object>) a.get("build_window"), "reply_ms", "p99"),
                p((Map<String, Object>) a.get("outside_build"), "reply_ms", "p99")));
        doc.put("ratios", ratios);
        doc.put("config", Map.of("users", o.users(), "chats", o.chats(), "duration_s", o.duration().toSeconds(),
                "warmup_s", o.warmup().toSeconds(), "think_ms", o.think().toMillis(),
                "reply_latency", "N(" + o.replyMean().toMillis() + " ms, " + o.replySd().toMillis() + " ms)",
                "memory_latency", "U(" + o.memoryMin().toMillis() + ", " + o.memoryMax().toMillis() + ") ms",
                "failure_rate", o.failureRate(), "cores", Runtime.getRuntime().availableProcessors()));
        return doc;
    }

    private static double ratio(double x, double y) {
        return y <= 0 ? 0 : Math.round(x / y * 1000) / 1000.0;
    }

    @SuppressWarnings("unchecked")
    private static double p(Map<String, Object> mode, String series, String key) {
        return LoadStats.p((Map<String, Object>) mode.get(series), key);
    }

    @SuppressWarnings("unchecked")
    static String table(Map<String, Object> doc) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-9s %-13s %9s %9s %9s %9s %9s %7s%n", "mode", "series", "p50 ms", "p95 ms", "p99 ms",
                "max ms", "rps", "errors"));
        for (var e : ((Map<String, Object>) doc.get("modes")).entrySet()) {
            Map<String, Object> m = (Map<String, Object>) e.getValue();
            row(b, e.getKey(), "reply", (Map<String, Object>) m.get("reply_ms"), m.get("throughput_rps"), m.get("errors"));
            row(b, "", "memory", (Map<String, Object>) m.get("memory_ms"), "", "");
            Map<String, Object> bw = (Map<String, Object>) m.get("build_window");
            row(b, "", "reply (build)", (Map<String, Object>) bw.get("reply_ms"), "", "");
            row(b, "", "memory(build)", (Map<String, Object>) bw.get("memory_ms"), "", "");
            row(b, "", "reply (other)", (Map<String, Object>) ((Map<String, Object>) m.get("outside_build")).get("reply_ms"), "", "");
            Map<String, Object> seed = (Map<String, Object>) m.get("seed_checks");
            b.append(String.format("%-9s seed: one message %.0f ms; 10 concurrent messages %.0f ms in total; build %s%n", "",
                    seed.get("single_message_ms"), seed.get("ten_concurrent_total_ms"), bw.get("state")));
        }
        b.append("ratios: ").append(doc.get("ratios"));
        return b.toString();
    }

    private static void row(StringBuilder b, String mode, String series, Map<String, Object> p, Object rps, Object errors) {
        b.append(String.format("%-9s %-13s %9.1f %9.1f %9.1f %9.1f %9s %7s%n", mode, series, LoadStats.p(p, "p50"),
                LoadStats.p(p, "p95"), LoadStats.p(p, "p99"), LoadStats.p(p, "max"), rps, errors));
    }

    /** A self-contained page: the table and an inline SVG of reply latency over time per mode, build window shaded. */
    static String html(Map<String, Object> doc, Map<String, LoadRun.Result> results) {
        StringBuilder svg = new StringBuilder();
        int w = 900, h = 260, pad = 40;
        for (LoadRun.Result r : results.values()) {
            double maxT = r.samples().stream().mapToDouble(LoadSample::atMs).max().orElse(1);
            double maxY = r.samples().stream().filter(LoadSample::ok).mapToDouble(LoadSample::replyMs).max().orElse(1);
            svg.append("<h2>").append(r.mode()).append(": reply latency over time</h2>\n");
            svg.append(String.format("<svg width='%d' height='%d' xmlns='http://www.w3.org/2000/svg'>", w, h));
            double bx = pad + (w - 2 * pad) * r.buildStartMs() / maxT;
            double bw = Math.max(2, (w - 2 * pad) * (r.buildEndMs() - r.buildStartMs()) / maxT);
            svg.append(String.format("<rect x='%.1f' y='%d' width='%.1f' height='%d' fill='#fde2b3'/>", bx, pad / 2, bw, h - pad));
            svg.append(String.format("<text x='%.1f' y='14' font-size='11'>build window</text>", bx));
            svg.append(String.format("<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#333'/>", pad, h - pad / 2, w - pad, h - pad / 2));
            svg.append(String.format("<text x='2' y='%d' font-size='11'>%.0f ms</text>", pad / 2 + 10, maxY));
            svg.append(String.format("<text x='%d' y='%d' font-size='11'>%.0f s</text>", w - pad - 20, h - 4, maxT / 1000));
            for (LoadSample s : r.samples()) {
                double x = pad + (w - 2 * pad) * s.atMs() / maxT;
                double y = h - pad / 2.0 - (h - pad) * Math.min(1, s.replyMs() / maxY);
                svg.append(String.format("<circle cx='%.1f' cy='%.1f' r='1.6' fill='%s'/>", x, y, s.ok() ? "#2b6cb0" : "#c53030"));
            }
            svg.append("</svg>\n");
        }
        return "<!doctype html><html><head><meta charset='utf-8'><title>Engram bench</title>"
                + "<style>body{font-family:sans-serif;margin:2em}pre{background:#f6f6f6;padding:1em}</style></head><body>"
                + "<h1>Engram bench: async vs blocking</h1><pre>" + escape(table(doc)) + "</pre>" + svg
                + "<p>Each dot is one reply (blue ok, red error); the shaded band is the memory build.</p></body></html>";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
