package dev.engram.model;

import java.util.Objects;

/**
 * The outcome of durable intake: the stored message, and whether it had been stored before. Intake is
 * idempotent by the caller's message id ({@link NewMessage#externalId()}) within a chat: a redelivered message
 * comes back as the first copy with {@code duplicate = true}, and nothing new is stored or memorised.
 */
public record Intake(ChatMessage message, boolean duplicate) {
    public Intake {
        Objects.requireNonNull(message, "message");
    }

    public static Intake created(ChatMessage message) {
        return new Intake(message, false);
    }

    public static Intake duplicate(ChatMessage message) {
        return new Intake(message, true);
    }
}
