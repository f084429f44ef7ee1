package dev.engram.bench.store;

/**
 * What {@code engram bench store} measured. Rates are messages per second; a message is one user turn (its reply
 * is stored too, but the offline template reply is never indexed, so indexed messages count user turns).
 *
 * @param messages          user messages acknowledged
 * @param intakeSeconds     first send to last acknowledgement
 * @param acknowledgedRate  messages acknowledged per second during intake (replies included in the work)
 * @param intakeStoredRate  messages indexed per second during intake, while replies competed for the CPU
 * @param drainSeconds      last acknowledgement to an empty outbox
 * @param drainRate         messages indexed per second after intake stopped: the store pipeline alone
 * @param pipelineRate      messages per second from first send to the last one stored: the sustained capacity
 * @param indexedMessages   messages in the index at the end
 * @param memories          memories in the index at the end
 * @param outboxPeak        most live outbox rows seen
 * @param lagPeakSeconds    largest visibility lag seen (age of the oldest acknowledged, unstored task)
 * @param drained           whether the outbox emptied before the timeout
 */
public record StoreBenchResult(int messages, double intakeSeconds, double acknowledgedRate, double intakeStoredRate,
                               double drainSeconds, double drainRate, double pipelineRate, long indexedMessages,
                               long memories, long outboxPeak, double lagPeakSeconds, boolean drained) {
}
