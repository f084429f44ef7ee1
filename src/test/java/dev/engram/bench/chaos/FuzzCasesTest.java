package dev.engram.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The fuzz generator is deterministic per seed and covers every family; the chaos client's encodings are exact. */
class FuzzCasesTest {
    @Test
    void the_same_seed_gives_the_same_cases_and_every_family_appears() {
        List<String> a = describe(new FuzzCases(3), 5_000);
        List<String> b = describe(new FuzzCases(3), 5_000);
        assertThat(a).isEqualTo(b);
        assertThat(describe(new FuzzCases(4), 5_000)).isNotEqualTo(a);

        Set<String> families = new HashSet<>();
        FuzzCases cases = new FuzzCases(3);
        for (int i = 0; i < 5_000; i++) families.add(cases.next().family());
        assertThat(families).contains("message_json", "memory_json", "search_params", "tasks", "graph", "wrong_method",
                "unknown_route", "headers", "raw_malformed", "raw_garbage", "raw_incomplete", "valid");
    }

    @Test
    void lone_surrogates_go_out_as_json_escapes_and_as_invalid_utf8_in_queries() {
        assertThat(ChaosHttp.quote("a\ud800\"é")).isEqualTo("\"a\\ud800\\\"\\u00e9\"");
        assertThat(ChaosHttp.queryValue("a b\ud800群")).isEqualTo("a%20b%ED%A0%80%E7%BE%A4");
        assertThat(ChaosHttp.queryValue("😀\uD836\uDC00")).isEqualTo("%F0%9F%98%80%F0%9D%A0%80");
    }

    private static List<String> describe(FuzzCases cases, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(Fuzzer.describe(cases.next()));
        return out;
    }
}
