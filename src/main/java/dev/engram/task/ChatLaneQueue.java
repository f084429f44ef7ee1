package dev.engram.task;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ingest lane: tasks of one chat run one at a time in arrival order; chats take turns (round robin),
 * so a busy chat cannot starve the others. Not thread-safe.
 *
 * <p>Invariants: a chat is in {@code ready} iff it is not blocked and has waiting tasks. A chat is blocked
 * from the moment its task starts until that task is final, including the retry waits in between, so a
 * later task of the chat never overtakes an earlier one. A chat leaves {@code chats} when it is neither
 * blocked nor has waiting tasks, so the map is bounded by the lane's occupancy.
 */
final class ChatLaneQueue extends LaneQueue {
    private static final class Chat {
        final String id;
        final ArrayDeque<Job> waiting = new ArrayDeque<>();
        boolean blocked;

        Chat(String id) {
            this.id = id;
        }
    }

    private final Map<String, Chat> chats = new HashMap<>();
    private final ArrayDeque<Chat> ready = new ArrayDeque<>();
    private int queued;

    ChatLaneQueue(Lane lane, int concurrency, int bound) {
        super(lane, concurrency, bound);
    }

    @Override
    int queued() {
        return queued;
    }

    @Override
    void enqueue(Job job) {
        Chat chat = chats.computeIfAbsent(job.chatId(), Chat::new);
        chat.waiting.addLast(job);
        queued++;
        if (!chat.blocked && chat.waiting.size() == 1) ready.addLast(chat);
    }

    @Override
    void requeue(Job job) {
        Chat chat = chats.get(job.chatId());
        chat.waiting.addFirst(job);
        queued++;
        chat.blocked = false;
        ready.addLast(chat);
    }

    @Override
    Job peek() {
        Chat chat = ready.peekFirst();
        return chat == null ? null : chat.waiting.peekFirst();
    }

    @Override
    Job poll() {
        Chat chat = ready.pollFirst();
        queued--;
        chat.blocked = true;
        return chat.waiting.pollFirst();
    }

    @Override
    void done(Job job) {
        Chat chat = chats.get(job.chatId());
        chat.blocked = false;
        if (chat.waiting.isEmpty()) {
            chats.remove(chat.id);
        } else {
            ready.addLast(chat);
        }
    }

    /** Removes every waiting task; chats with a running or retry-waiting task stay (blocked, empty). */
    @Override
    List<Job> clear() {
        List<Job> all = new ArrayList<>(queued);
        chats.values().forEach(c -> {
            all.addAll(c.waiting);
            c.waiting.clear();
        });
        chats.values().removeIf(c -> !c.blocked);
        ready.clear();
        queued = 0;
        return all;
    }

    /** Chats known to the lane (for tests of boundedness). */
    int chatCount() {
        return chats.size();
    }
}
