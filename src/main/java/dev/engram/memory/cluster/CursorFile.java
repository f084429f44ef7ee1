package dev.engram.memory.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.Properties;
import dev.engram.common.DurableFiles;

/**
 * The follower's durable cursor, a small file in the index directory ({@value #FILE}), written only after the index
 * committed what the cursor covers: a restart resumes from it and replays what the index may lack (replaying is
 * harmless). Not thread-safe (the follower's thread).
 */
final class CursorFile {
    /** The cursor's file inside the index directory. */
    static final String FILE = "engram-change-feed.properties";

    private final Path file;

    CursorFile(Path indexDir) {
        this.file = indexDir.resolve(FILE);
    }

    /** The cursor the last run left, empty when there is none (a fresh index) or it cannot be read. */
    OptionalLong read() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
        try {
            String v = p.getProperty("cursor");
            return v == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty(); // unreadable: treated as missing, which rebuilds rather than skips
        }
    }

    /** Writes the cursor durably (fsynced, atomically replaced). */
    void write(long cursor) throws IOException {
        Properties p = new Properties();
        p.setProperty("cursor", Long.toString(cursor));
        DurableFiles.writeProperties(file, p, "change feed: every change at or below this seq is in the committed index");
    }
}
