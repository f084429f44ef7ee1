package dev.engram.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.engram.app.DefaultSettings;
import dev.engram.memory.RecallPolicy;
import dev.engram.model.Recall;
import dev.engram.store.Storage;
import dev.engram.store.postgres.TestPostgres;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Several engines in one JVM on one PostgreSQL schema, each with its own pool and instance id, as cluster
 * instances: the shared queue runs every task once, in per-chat order, one instance per chat at a time;
 * a killed instance's tasks move to others after its lease; periodic maintenance has one leader.
 */
@Timeout(60)
class ClusterEngineTest {
    private static final Duration LEASE = Duration.ofSeconds(2);

    /** One task run: on which instance, what, when. */
    record Run(String instance, String chat, String content, long startNanos, long endNanos) {
    }

    private TestPostgres pg;
    private final List<Member> members = new ArrayList<>();
    private final List<Run> runs = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicReference<String>> runningChats = new ConcurrentHashMap<>();
    private final List<String> overlaps = new CopyOnWriteArrayList<>();

    /** One instance: its storage, engine and meters. */
    private final class Member implements AutoCloseable {
        final String id;
        final Storage storage;
        final SimpleMeterRegistry meters = new SimpleMeterRegistry();
        final TaskEngine<Recall> engine;
        volatile CountDownLatch gate;
        final CountDownLatch gateReached = new CountDownLatch(1);
        boolean crashed;

        Member(String id, PeriodicSchedule periodic, TaskHandler<MemoryTask.Build> build) {
            this.id = id;
            this.storage = pg.open();
            this.engine = TaskEngine.builder(storage, RecallPolicy.INSTANCE)
                    .settings(DefaultSettings.tasks())
                    .meterRegistry(meters)
                    .periodic(periodic)
                    .cluster(new ClusterSettings(id, LEASE, Duration.ofMillis(300), Duration.ofMillis(100)))
                    .handlers(TaskHandlers.<Recall>builder().onStore(this::store).onBuild(build).build())
                    .build();
        }

        private void store(MemoryTask.Store task, TaskContext context) throws InterruptedException {
            CountDownLatch g = gate;
            if (g != null) {
                gateReached.countDown();
                g.await();
            }
            long start = System.nanoTime();
            AtomicReference<String> running = runningChats.computeIfAbsent(task.chatId(), c -> new AtomicReference<>());
            if (!running.compareAndSet(null, id)) overlaps.add(task.chatId() + " on " + id + " and " + running.get());
            storage.messages().count(); // a little real work
            running.compareAndSet(id, null);
            runs.add(new Run(id, task.chatId(), task.content(), start, System.nanoTime()));
        }

        Member started() {
            engine.start();
            return this;
        }

        double submittedBuilds() {
            Counter c = meters.find(TaskMetricNames.SUBMITTED).tag(TaskMetricNames.TAG_TYPE, "build").counter();
            return c == null ? 0 : c.count();
        }

        void crash() {
            crashed = true;
            engine.crashForTest();
        }

        @Override
        public void close() {
            try {
                if (!crashed) engine.close();
            } finally {
                storage.close();
            }
        }
    }

    @BeforeEach
    void database() {
        pg = TestPostgres.create();
    }

    @AfterEach
    void closeAll() {
        try {
            members.forEach(Member::close);
        } finally {
            pg.close();
        }
    }

    private Member member(String id) {
        return member(id, PeriodicSchedule.none(), (task, context) -> { });
    }

    private Member member(String id, PeriodicSchedule periodic, TaskHandler<MemoryTask.Build> build) {
        Member m = new Member(id, periodic, build);
        members.add(m);
        return m;
    }

    @Test
    void three_instances_run_every_task_once_in_chat_order_one_instance_per_chat_at_a_time() throws Exception {
        List<Member> cluster = List.of(member("a").started(), member("b").started(), member("c").started());
        int chats = 24;
        int perChat = 20;
        try (ExecutorService submitters = Executors.newFixedThreadPool(6)) {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < chats; c++) {
                String chat = "chat-" + c;
                int offset = c;
                done.add(submitters.submit(() -> {
                    for (int i = 0; i < perChat; i++) {
                        cluster.get((i + offset) % 3).engine.submit(new MemoryTask.Store(chat, chat + "#" + i));
                    }
                }));
            }
            for (Future<?> f : done) f.get();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> runs.size() >= chats * perChat);
        assertThat(runs).extracting(Run::content).doesNotHaveDuplicates().hasSize(chats * perChat);
        for (int c = 0; c < chats; c++) {
            String chat = "chat-" + c;
            List<String> order = runs.stream().filter(r -> r.chat().equals(chat)).map(Run::content).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < perChat; i++) expected.add(chat + "#" + i);
            assertThat(order).as("order of " + chat).containsExactlyElementsOf(expected);
        }
        assertThat(overlaps).isEmpty();
        assertThat(runs).extracting(Run::instance).as("the work is spread").contains("a", "b", "c");
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.getFirst().storage.outbox().count() == 0);
    }

    @Test
    void a_killed_instances_claimed_tasks_complete_on_the_others_within_the_lease() throws Exception {
        Member a = member("a");
        a.gate = new CountDownLatch(1); // a's handler blocks: it holds claimed work mid-run
        a.started();
        List<String> expected = new ArrayList<>();
        List<TaskId> ids = new ArrayList<>();
        for (int c = 0; c < 5; c++) {
            for (int i = 0; i < 3; i++) {
                String content = "k" + c + "#" + i;
                ids.add(a.engine.submit(new MemoryTask.Store("k" + c, content)));
                expected.add(content);
            }
        }
        a.gateReached.await();
        Member b = member("b").started();
        Member c = member("c").started();
        await().atMost(Duration.ofSeconds(10)).until(() -> a.storage.workQueue().orElseThrow()
                .listClaimed("a", 0, 100).size() == expected.size());

        a.crash();
        Instant killed = Instant.now();

        await().atMost(LEASE.plusSeconds(5)).until(() -> runs.size() >= expected.size());
        assertThat(Duration.between(killed, Instant.now())).isLessThan(LEASE.plusSeconds(5));
        assertThat(runs).extracting(Run::content).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(runs).extracting(Run::instance).as("the survivors ran them").doesNotContain("a");
        for (int k = 0; k < 5; k++) {
            String chat = "k" + k;
            assertThat(runs.stream().filter(r -> r.chat().equals(chat)).map(Run::content))
                    .containsExactly(chat + "#0", chat + "#1", chat + "#2");
        }
        assertThat(overlaps).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> b.storage.outbox().count() == 0);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ids).allSatisfy(id ->
                assertThat(c.engine.find(id).orElseThrow().state()).as("known on every instance")
                        .isEqualTo(TaskState.SUCCEEDED)));
    }

    @Test
    void one_instance_at_a_time_runs_the_periodic_build_and_another_takes_over_when_it_dies() throws Exception {
        List<Run> builds = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger mostConcurrent = new AtomicInteger();
        Map<String, AtomicInteger> perTask = new ConcurrentHashMap<>();
        PeriodicSchedule every = new PeriodicSchedule(Duration.ofMillis(150), null, null);
        List<Member> cluster = new ArrayList<>();
        for (String id : List.of("a", "b", "c")) {
            Member[] self = new Member[1];
            self[0] = member(id, every, (task, context) -> {
                int now = concurrent.incrementAndGet();
                mostConcurrent.accumulateAndGet(now, Math::max);
                long start = System.nanoTime();
                self[0].storage.messages().count();
                perTask.computeIfAbsent(context.taskId().value(), t -> new AtomicInteger()).incrementAndGet();
                builds.add(new Run(id, null, context.taskId().value(), start, System.nanoTime()));
                concurrent.decrementAndGet();
            });
            cluster.add(self[0]);
        }
        cluster.forEach(Member::started);

        await().atMost(Duration.ofSeconds(10)).until(() -> builds.size() >= 5);
        String leader = builds.getFirst().instance();
        Member dead = cluster.stream().filter(m -> m.id.equals(leader)).findFirst().orElseThrow();
        dead.crash();
        // a build whose outbox row survived the kill may run again (at least once); every other runs once
        java.util.Set<String> unfinished = new java.util.HashSet<>();
        dead.storage.outbox().list(0, 1000).forEach(row -> unfinished.add(row.taskId()));
        int before;
        synchronized (builds) {
            before = builds.size();
            assertThat(builds).extracting(Run::instance).containsOnly(leader);
        }
        double submittedBefore = cluster.stream().mapToDouble(Member::submittedBuilds).sum();
        assertThat(dead.submittedBuilds()).as("only the leader submitted").isEqualTo(submittedBefore);

        await().atMost(LEASE.plusSeconds(5)).until(() -> builds.size() >= before + 5);
        List<Run> after;
        synchronized (builds) {
            after = List.copyOf(builds.subList(before, builds.size()));
        }
        assertThat(after).extracting(Run::instance).doesNotContain(leader);
        assertThat(after.stream().map(Run::instance).distinct()).as("one new leader").hasSize(1);
        assertThat(mostConcurrent).hasValue(1);
        perTask.forEach((task, n) -> {
            if (!unfinished.contains(task)) assertThat(n).as("runs of " + task).hasValue(1);
        });
        List<Run> all = List.copyOf(builds);
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).startNanos()).as("runs never overlap").isGreaterThanOrEqualTo(all.get(i - 1).endNanos());
        }
    }
}
