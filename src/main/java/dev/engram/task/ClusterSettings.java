package dev.engram.task;

import java.time.Duration;
import java.util.Objects;

/**
 * Cluster mode of a {@link TaskEngine} (several instances on one PostgreSQL database; the composition root
 * maps them from {@code [cluster]}). See {@link TaskEngineBuilder#cluster}.
 *
 * @param instanceId this instance's name in leases and claims; unique among live instances
 * @param lease      how long a lease lasts without renewal: a dead instance's work moves after at most this
 * @param heartbeat  how often leases are renewed and idle chats released; below {@code lease} / 2
 * @param poll       longest wait between two claims when no wake-up arrives
 */
public record ClusterSettings(String instanceId, Duration lease, Duration heartbeat, Duration poll) {
    public ClusterSettings {
        Objects.requireNonNull(instanceId, "instanceId");
        if (instanceId.isBlank()) throw new IllegalArgumentException("instanceId must not be blank");
        for (Duration d : new Duration[] {lease, heartbeat, poll}) {
            Objects.requireNonNull(d, "durations");
            if (d.isZero() || d.isNegative()) throw new IllegalArgumentException("cluster durations must be > 0, was " + d);
        }
        if (heartbeat.multipliedBy(2).compareTo(lease) >= 0) {
            throw new IllegalArgumentException("heartbeat (" + heartbeat + ") must be below lease / 2 (" + lease + ")");
        }
    }
}
