package dev.engram.bench;

/**
 * One request of the load run.
 *
 * @param atMs     when it was sent, ms since the measured run began
 * @param replyMs  client-side time until the full reply arrived
 * @param memoryMs the server's memory time on the reply path ({@code timings_ms.memory}); -1 on error
 * @param ok       whether the reply was HTTP 200
 */
record LoadSample(double atMs, double replyMs, double memoryMs, boolean ok) {
}
