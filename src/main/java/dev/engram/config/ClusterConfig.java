package dev.engram.config;

import java.time.Duration;
import java.util.Optional;

/**
 * {@code [cluster]}: several Engram instances on one PostgreSQL database. Off by default (one instance,
 * SQLite or PostgreSQL). When on, the outbox is the cluster's work queue (each chat's tasks run on the one
 * instance holding the chat's lease), periodic maintenance runs on one instance at a time, and every
 * instance's local index and graph follow the database's change feed, so any instance answers for any chat.
 * Needs {@code [storage] url} (PostgreSQL): checked when the whole config is read.
 *
 * @param enabled    whether this instance joins a cluster
 * @param instanceId this instance's name in leases and the change feed; empty = {@code <host>-<pid>} (a
 *                   restarted instance gets a new name, and its leases move after {@code lease})
 * @param lease      how long a chat's (or the maintenance) lease lasts without a heartbeat; a dead instance's
 *                   work moves to others after at most this
 * @param heartbeat  how often an instance renews its leases and looks for work whose owner died (below
 *                   {@code lease} / 2)
 * @param poll       longest wait between two reads of the work queue and the change feed when no
 *                   LISTEN/NOTIFY wake-up arrives
 */
public record ClusterConfig(boolean enabled, Optional<String> instanceId, Duration lease, Duration heartbeat,
                            Duration poll) {
    /** The built-in defaults of {@code [cluster]}. */
    public static final ClusterConfig DEFAULTS = new ClusterConfig(false, Optional.empty(), Duration.ofSeconds(10),
            Duration.ofSeconds(2), Duration.ofMillis(500));

    static ClusterConfig read(Section s) {
        ClusterConfig d = DEFAULTS;
        boolean enabled = s.bool("enabled", d.enabled);
        String id = s.string("instance_id", "", v -> v.isEmpty() || v.matches("[A-Za-z0-9._:-]{1,64}"),
                "must be empty (<host>-<pid>) or 1..64 characters of [A-Za-z0-9._:-]");
        long lease = s.integer("lease_ms", d.lease.toMillis(), v -> v >= 1_000 && v <= 600_000,
                "must be an integer in [1000, 600000]");
        long heartbeat = s.integer("heartbeat_ms", d.heartbeat.toMillis(), v -> v >= 100 && v * 2 < lease,
                "must be an integer of at least 100 and below lease_ms / 2");
        long poll = s.integer("poll_ms", d.poll.toMillis(), v -> v >= 10 && v <= 60_000,
                "must be an integer in [10, 60000]");
        s.finish();
        return new ClusterConfig(enabled, id.isEmpty() ? Optional.empty() : Optional.of(id), Duration.ofMillis(lease),
                Duration.ofMillis(heartbeat), Duration.ofMillis(poll));
    }

    /** The configured instance id, else {@code <host>-<pid>}. */
    public String resolvedInstanceId() {
        return instanceId.orElseGet(() -> {
            String host;
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "engram";
            }
            String safe = host.replaceAll("[^A-Za-z0-9._:-]", "-");
            if (safe.length() > 40) safe = safe.substring(0, 40);
            return safe + "-" + ProcessHandle.current().pid();
        });
    }
}
