package dev.engram.surface.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.engram.task.DeadLetterOutcome;
import dev.engram.task.TaskView;
import io.javalin.http.Context;

/**
 * The task routes: {@code GET /api/tasks/{id}}; dead letters (durable tasks that failed for good) listed
 * by {@code GET /api/tasks?state=dead}, requeued by {@code POST /api/tasks/{id}/retry} and
 * {@code POST /api/tasks/retry?state=dead}, purged by {@code DELETE /api/tasks/{id}} and
 * {@code DELETE /api/tasks?state=dead}. Every task is shown in one shape, that of {@link TaskView}.
 */
final class TaskRoutes {
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1_000;

    private final MemoryApi memory;

    TaskRoutes(MemoryApi memory) {
        this.memory = memory;
    }

    void task(Context ctx) {
        String id = ctx.pathParam("id");
        ctx.json(memory.task(parsed(id)).orElseThrow(() -> notFound(id)));
    }

    void list(Context ctx) {
        requireDeadState(ctx);
        int limit = MemoryRoutes.intQuery(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        List<TaskView> dead = memory.deadLetters(limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tasks", dead);
        body.put("count", memory.deadLetterCount());
        ctx.json(body);
    }

    void retry(Context ctx) {
        String id = ctx.pathParam("id");
        String taskId = parsed(id);
        apply(memory.retry(taskId), id, "retried");
        ctx.json(memory.task(taskId).orElseThrow(() -> notFound(id)));
    }

    void purge(Context ctx) {
        String id = ctx.pathParam("id");
        apply(memory.purge(parsed(id)), id, "purged");
        ctx.json(Map.of("task_id", id, "purged", true));
    }

    void retryAll(Context ctx) {
        requireDeadState(ctx);
        ctx.json(Map.of("requeued", memory.retryAll()));
    }

    void purgeAll(Context ctx) {
        requireDeadState(ctx);
        ctx.json(Map.of("purged", memory.purgeAll()));
    }

    private static void apply(DeadLetterOutcome outcome, String id, String verb) {
        switch (outcome) {
            case DONE -> { }
            case NOT_FOUND -> throw notFound(id);
            case NOT_DEAD -> throw new ApiException(409, "task_not_dead",
                    "task " + id + " is not a dead letter; only dead letters can be " + verb);
        }
    }

    private static void requireDeadState(Context ctx) {
        String state = ctx.queryParam("state");
        if (state == null || state.isBlank()) {
            throw ApiException.badRequest("missing_parameter", "query parameter \"state\" is required (state=dead)");
        }
        if (!state.strip().equalsIgnoreCase("dead")) {
            throw ApiException.badRequest("invalid_parameter", "query parameter \"state\" must be \"dead\"");
        }
    }

    private static String parsed(String id) {
        try {
            return MemoryApi.checkedTaskId(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_task_id", "malformed task id: " + e.getMessage());
        }
    }

    private static ApiException notFound(String id) {
        return new ApiException(404, "task_not_found", "no task " + id + " (finished tasks are kept for a while)");
    }
}
