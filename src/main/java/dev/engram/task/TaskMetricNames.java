package dev.engram.task;

/**
 * Names and tags of the task engine's meters (Prometheus adds {@code _total} to counters). Counters are
 * tagged with {@link #TAG_TYPE}, lane gauges with {@link #TAG_LANE}.
 */
public final class TaskMetricNames {
    public static final String TAG_TYPE = "type";
    public static final String TAG_LANE = "lane";

    public static final String SUBMITTED = "engram.tasks.submitted";
    public static final String SUCCEEDED = "engram.tasks.succeeded";
    public static final String FAILED = "engram.tasks.failed";
    public static final String RETRIED = "engram.tasks.retried";
    public static final String DEAD = "engram.tasks.dead";
    public static final String CANCELLED = "engram.tasks.cancelled";
    public static final String REJECTED = "engram.tasks.rejected";

    public static final String LANE_QUEUED = "engram.tasks.lane.queued";
    public static final String LANE_RUNNING = "engram.tasks.lane.running";
    public static final String LANE_RETRY_WAITING = "engram.tasks.lane.retry_waiting";
    public static final String LANE_CAPACITY = "engram.tasks.lane.capacity";
    public static final String IN_OUTBOX = "engram.tasks.outbox";
    public static final String DEAD_LETTERS = "engram.tasks.dead_letters";

    public static final String CACHE_ENTRIES = "engram.recall.cache.entries";
    public static final String CACHE_HITS = "engram.recall.cache.hits";
    public static final String CACHE_MISSES = "engram.recall.cache.misses";
    public static final String CACHE_EVICTIONS = "engram.recall.cache.evictions";
    public static final String CACHE_HIT_RATIO = "engram.recall.cache.hit_ratio";

    private TaskMetricNames() {
    }
}
