package dev.engram.app;

import java.util.List;

import dev.engram.memory.MemoryIndexWriter;
import dev.engram.model.StoredMemory;
import dev.engram.model.ChatMessage;

/** Writes to several indexes in order (vector/lexical first, so a message is recallable soonest). */
record IndexWriters(List<MemoryIndexWriter> writers) implements MemoryIndexWriter {
    IndexWriters {
        writers = List.copyOf(writers);
    }

    @Override
    public void indexMessages(List<ChatMessage> messages) throws Exception {
        for (MemoryIndexWriter w : writers) w.indexMessages(messages);
    }

    @Override
    public void indexMemory(StoredMemory memory) throws Exception {
        for (MemoryIndexWriter w : writers) w.indexMemory(memory);
    }
}
