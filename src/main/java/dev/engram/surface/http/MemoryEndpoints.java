package dev.engram.surface.http;

import java.util.Objects;

import dev.engram.memory.manage.MemoryAdmin;
import dev.engram.memory.manage.MemoryExport;
import dev.engram.memory.manage.MemoryImport;

/**
 * The services behind the memory routes, available once the memory side has loaded.
 *
 * @param memory   storing, searching, tasks and dead letters
 * @param admin    browsing, correcting and forgetting memories
 * @param export   writes chats as JSON Lines
 * @param importer reads them back
 */
public record MemoryEndpoints(MemoryApi memory, MemoryAdmin admin, MemoryExport export, MemoryImport importer) {
    public MemoryEndpoints {
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(export, "export");
        Objects.requireNonNull(importer, "importer");
    }
}
