package dev.engram.chat;

/**
 * The reply model did not answer. The user's message is already stored (and will be memorised);
 * only the reply is missing. {@link #timedOut()} tells a timeout (HTTP 504) from a failure (502).
 */
public final class ReplyFailedException extends RuntimeException {
    private final boolean timedOut;
    private final long messageId;

    public ReplyFailedException(String message, boolean timedOut, long messageId, Throwable cause) {
        super(message, cause);
        this.timedOut = timedOut;
        this.messageId = messageId;
    }

    public boolean timedOut() {
        return timedOut;
    }

    /** Id of the stored user message. */
    public long messageId() {
        return messageId;
    }
}
