package dev.engram.task;

import static dev.engram.task.TaskState.CANCELLED;
import static dev.engram.task.TaskState.DEAD;
import static dev.engram.task.TaskState.FAILED;
import static dev.engram.task.TaskState.QUEUED;
import static dev.engram.task.TaskState.RETRY_WAIT;
import static dev.engram.task.TaskState.RUNNING;
import static dev.engram.task.TaskState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TaskStateTest {
    /** The lifecycle, written out independently of the implementation. */
    private static final Map<TaskState, Set<TaskState>> ALLOWED = Map.of(
            QUEUED, EnumSet.of(RUNNING, CANCELLED),
            RUNNING, EnumSet.of(SUCCEEDED, FAILED, DEAD, RETRY_WAIT, CANCELLED),
            RETRY_WAIT, EnumSet.of(QUEUED, CANCELLED),
            SUCCEEDED, EnumSet.noneOf(TaskState.class),
            FAILED, EnumSet.noneOf(TaskState.class),
            DEAD, EnumSet.noneOf(TaskState.class),
            CANCELLED, EnumSet.noneOf(TaskState.class));

    @Test
    void transition_table_allows_exactly_the_lifecycle_moves() {
        for (TaskState from : TaskState.values()) {
            for (TaskState to : TaskState.values()) {
                assertThat(TaskState.canTransition(from, to))
                        .as("%s -> %s", from, to)
                        .isEqualTo(ALLOWED.get(from).contains(to));
            }
        }
    }

    @Test
    void final_states_are_exactly_those_without_moves() {
        for (TaskState s : TaskState.values()) {
            assertThat(s.isFinal()).as(s.name()).isEqualTo(ALLOWED.get(s).isEmpty());
        }
    }

    @Test
    void illegal_move_throws_with_both_states_named() {
        TaskId id = new TaskId("store-1");
        assertThatThrownBy(() -> TaskState.requireTransition(id, SUCCEEDED, RUNNING))
                .isInstanceOf(IllegalTaskStateException.class)
                .hasMessageContaining("store-1").hasMessageContaining("SUCCEEDED").hasMessageContaining("RUNNING")
                .satisfies(e -> assertThat(((IllegalTaskStateException) e).from()).isEqualTo(SUCCEEDED));
    }
}
