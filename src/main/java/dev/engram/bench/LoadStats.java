package dev.engram.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Percentiles over load samples, as JSON-ready maps. Pure. */
final class LoadStats {
    private LoadStats() {
    }

    static Map<String, Object> percentiles(List<LoadSample> samples, ToDoubleFunction<LoadSample> f) {
        double[] v = samples.stream().filter(LoadSample::ok).mapToDouble(f).sorted().toArray();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50", round(at(v, 0.50)));
        m.put("p95", round(at(v, 0.95)));
        m.put("p99", round(at(v, 0.99)));
        m.put("max", round(v.length == 0 ? 0 : v[v.length - 1]));
        m.put("n", v.length);
        return m;
    }

    static double at(double[] sorted, double p) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static double p(Map<String, Object> percentiles, String key) {
        return ((Number) percentiles.get(key)).doubleValue();
    }

    static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }

    static double[] sorted(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c;
    }
}
