package dev.engram.memory.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CpuLanesTest {

    @Test
    void a_foreground_job_starts_before_every_queued_background_job() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CpuLanes lanes = new CpuLanes(pool);
            List<String> order = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            lanes.background(() -> { // occupies the only thread: it is running, so it is not pre-empted
                running.countDown();
                await(release);
                order.add("b0");
            });
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i <= 3; i++) {
                String name = "b" + i;
                lanes.background(() -> order.add(name));
            }
            lanes.foreground(() -> order.add("f1"));
            lanes.foreground(() -> order.add("f2"));
            CountDownLatch done = new CountDownLatch(1);
            lanes.background(done::countDown);
            release.countDown();
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(order).containsExactly("b0", "f1", "f2", "b1", "b2", "b3");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void every_job_runs_exactly_once_from_many_threads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        ExecutorService submitters = Executors.newFixedThreadPool(4);
        try {
            CpuLanes lanes = new CpuLanes(pool);
            int jobs = 4_000;
            int[] runs = new int[jobs];
            CountDownLatch done = new CountDownLatch(jobs);
            IntStream.range(0, jobs).forEach(i -> submitters.execute(() -> {
                Runnable job = () -> {
                    synchronized (runs) {
                        runs[i]++;
                    }
                    done.countDown();
                };
                if (i % 3 == 0) lanes.foreground(job);
                else lanes.background(job);
            }));
            assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
            synchronized (runs) {
                assertThat(runs).containsOnly(1);
            }
        } finally {
            submitters.shutdownNow();
            pool.shutdownNow();
        }
    }

    @Test
    void a_refused_job_is_not_left_queued() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        AtomicBoolean refusing = new AtomicBoolean(true);
        Executor gate = command -> {
            if (refusing.get()) throw new RejectedExecutionException("shutting down");
            pool.execute(command);
        };
        try {
            CpuLanes lanes = new CpuLanes(gate);
            List<String> ran = Collections.synchronizedList(new ArrayList<>());
            assertThatThrownBy(() -> lanes.foreground(() -> ran.add("refused"))).isInstanceOf(RejectedExecutionException.class);
            refusing.set(false);
            CountDownLatch done = new CountDownLatch(1);
            lanes.background(() -> {
                ran.add("accepted");
                done.countDown();
            });
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ran).containsExactly("accepted"); // the turn did not run the refused job instead
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
