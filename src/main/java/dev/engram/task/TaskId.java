package dev.engram.task;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The identity of one task: the type's wire name, a dash and a time-ordered UUID (version 7), e.g.
 * {@code store-01964c1e-6a2b-7c01-9e4f-1b2c3d4e5f60}. Ids made by one engine never collide and sort by
 * creation time; ids of different processes collide with negligible probability (62 random bits).
 */
public record TaskId(@JsonValue String value) {
    private static final Pattern FORMAT = Pattern.compile("[a-z]+-[0-9a-zA-Z._:-]{1,120}");

    public TaskId {
        Objects.requireNonNull(value, "value");
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("task id must be '<type>-<id>' of letters, digits and -._: (was '"
                    + (value.length() > 64 ? value.substring(0, 64) + "…" : value) + "')");
        }
    }

    /** Parses an id given by a client (e.g. {@code GET /api/tasks/{id}}); throws on a malformed one. */
    public static TaskId parse(String value) {
        return new TaskId(value);
    }

    /** The task type named by the id's prefix, if it names one. */
    public Optional<TaskType> type() {
        return TaskType.fromWire(value.substring(0, value.indexOf('-')));
    }

    @Override
    public String toString() {
        return value;
    }
}
