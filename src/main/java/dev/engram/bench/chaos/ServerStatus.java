package dev.engram.bench.chaos;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads {@code /api/status} of a server: the task totals and whether the store pipeline has drained. */
final class ServerStatus {
    private ServerStatus() {
    }

    static JsonNode read(ChaosHttp http, URI base) throws IOException, InterruptedException {
        ChaosHttp.Response r = http.get(base.resolve("/api/status"), Duration.ofSeconds(10));
        if (r.status() != 200) throw new IOException("GET /api/status answered " + r.status() + ": " + r.body());
        return r.json();
    }

    /**
     * @return whether the memory side is up, its index caught up, and nothing is queued, running or waiting to retry on the ingest and maintenance lanes and the
     *         outbox holds no live work (rows of failed or dead-lettered tasks, which some versions keep there, do not count)
     */
    static boolean drained(JsonNode status) {
        // the engine has not run yet, or the index is still being caught up or rebuilt (recall would miss items)
        String state = status.path("status").asText();
        if (state.equals("starting") || state.equals("catching_up")) return false;
        JsonNode tasks = status.path("tasks");
        for (String lane : new String[] {"ingest", "maintenance"}) {
            JsonNode l = tasks.path(lane);
            if (l.path("queued").asLong() + l.path("running").asLong() + l.path("retry_waiting").asLong() > 0) return false;
        }
        JsonNode totals = tasks.path("totals");
        return totals.path("in_outbox").asLong() <= totals.path("dead").asLong() + totals.path("failed").asLong();
    }

    /**
     * Waits until the store pipeline has drained and the index is caught up ({@link #drained}), polling every 200 ms.
     *
     * @return whether it drained within {@code timeout}
     */
    static boolean awaitDrained(ChaosHttp http, URI base, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (drained(read(http, base))) return true;
            } catch (java.net.http.HttpTimeoutException e) {
                // a busy machine answers late: ask again until the deadline
            }
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(200); // polling another process's state
        }
    }
}
