package dev.engram.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.engram.store.OutboxRecord;

class TaskCodecTest {
    private final TaskCodec codec = new TaskCodec();
    private final Instant at = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void store_round_trips_with_content_and_provenance() {
        var task = new MemoryTask.Store("群1", "我对花生过敏 \"quoted\"", List.of(3L, 5L));
        OutboxRecord row = codec.encode(new TaskId("store-1"), task, at);
        assertThat(row.type()).isEqualTo("store");
        assertThat(row.chatId()).isEqualTo("群1");
        assertThat(codec.decode(row)).isEqualTo(task);
    }

    @Test
    void build_round_trips() {
        OutboxRecord row = codec.encode(new TaskId("build-1"), new MemoryTask.Build(), at);
        assertThat(codec.decode(row)).isEqualTo(new MemoryTask.Build());
    }

    @Test
    void only_durable_types_are_encoded_and_unknown_rows_are_refused() {
        assertThatThrownBy(() -> codec.encode(new TaskId("forget-1"), new MemoryTask.Forget(), at))
                .hasMessageContaining("not durable");
        assertThatThrownBy(() -> codec.encode(new TaskId("retrieve-1"),
                new MemoryTask.Retrieve("c", "q", Set.of(), at), at)).hasMessageContaining("not durable");
        assertThatThrownBy(() -> codec.decode(new OutboxRecord("x-1", "teleport", null, "{}", at, 0)))
                .hasMessageContaining("unknown task type");
        assertThatThrownBy(() -> codec.decode(new OutboxRecord("store-1", "store", "c", "{not json", at, 0)))
                .hasMessageContaining("unreadable store payload");
    }

    @Test
    void newer_payload_fields_are_ignored() {
        var row = new OutboxRecord("store-1", "store", "c", "{\"content\":\"hi\",\"message_ids\":[1],\"future\":true}", at, 0);
        assertThat(codec.decode(row)).isEqualTo(new MemoryTask.Store("c", "hi", List.of(1L)));
    }
}
