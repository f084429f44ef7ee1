package dev.engram.memory.vector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexWriterConfig.OpenMode;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.store.NRTCachingDirectory;

/**
 * Opens the index directory and decides whether its content can be used: a missing index, one that
 * fails to open or read (corrupt, written by another Lucene version, unreadable commit), or one
 * built for another schema or model is replaced by an empty index to be rebuilt. A write lock held
 * by another process is never taken for corruption: it fails the open. Not thread-safe (used once).
 */
final class IndexOpener {
    private IndexOpener() {
    }

    /**
     * An opened index.
     *
     * @param rebuildReason why the index must be rebuilt from the database, empty when it can be used
     * @param state         the state of its last commit when it can be used
     */
    record Opened(Directory directory, IndexWriter writer, Optional<String> rebuildReason, Optional<IndexState> state) {
    }

    static Opened open(Path path, Analyzer analyzer, Embedder embedder) throws IOException {
        Files.createDirectories(path);
        // Near-real-time refreshes flush tiny segments many times a second: keep those (and merges
        // of them up to 1 MB) in memory until merged away or committed, instead of writing a dozen
        // files per refresh. Larger segments live on disk, memory-mapped.
        Directory dir = new NRTCachingDirectory(FSDirectory.open(path), 1.0, 32.0);
        try {
            if (!DirectoryReader.indexExists(dir)) return fresh(dir, analyzer, "missing");
            IndexWriter writer;
            try {
                writer = new IndexWriter(dir, config(analyzer, OpenMode.APPEND));
            } catch (LockObtainFailedException e) {
                throw e; // another process owns the index: do not touch it
            } catch (IOException | RuntimeException e) {
                return wipeAndCreate(dir, analyzer, "corrupt: " + e);
            }
            try (DirectoryReader reader = DirectoryReader.open(writer)) {
                reader.numDocs(); // opening every segment reader checks headers, footers and small-file checksums
            } catch (IOException | RuntimeException e) {
                writer.rollback();
                return wipeAndCreate(dir, analyzer, "corrupt: " + e);
            }
            Optional<IndexState> state = IndexState.from(writer.getLiveCommitData());
            Optional<String> mismatch = state.isEmpty() ? Optional.of("no index state recorded")
                    : state.get().mismatch(embedder);
            if (mismatch.isPresent()) {
                writer.rollback();
                return wipeAndCreate(dir, analyzer, mismatch.get());
            }
            return new Opened(dir, writer, Optional.empty(), state);
        } catch (IOException | RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    private static Opened wipeAndCreate(Directory dir, Analyzer analyzer, String reason) throws IOException {
        for (String file : dir.listAll()) {
            if (!file.equals(IndexWriter.WRITE_LOCK_NAME)) dir.deleteFile(file);
        }
        return fresh(dir, analyzer, reason);
    }

    private static Opened fresh(Directory dir, Analyzer analyzer, String reason) throws IOException {
        IndexWriter writer = new IndexWriter(dir, config(analyzer, OpenMode.CREATE));
        return new Opened(dir, writer, Optional.of(reason), Optional.empty());
    }

    private static IndexWriterConfig config(Analyzer analyzer, OpenMode mode) {
        ConcurrentMergeScheduler merges = new ConcurrentMergeScheduler();
        merges.setMaxMergesAndThreads(2, 1); // one merge thread: leave the other core to queries and embedding
        TieredMergePolicy policy = new TieredMergePolicy();
        // Each merge rebuilds HNSW graphs, the main CPU cost of a live index. The default 16 MB floor
        // merges the stream of tiny refresh segments over and over; a 1 MB floor (about 400
        // documents) roughly halves merge work per document (measured) for a few more segments.
        policy.setFloorSegmentMB(1.0);
        policy.setForceMergeDeletesPctAllowed(0.0); // forgetting rewrites every segment holding a deleted document
        return new IndexWriterConfig(analyzer)
                .setMergePolicy(policy)
                .setOpenMode(mode)
                .setRAMBufferSizeMB(64)
                .setMergeScheduler(merges)
                .setUseCompoundFile(false) // flushed segments: no extra copy into a compound file per refresh
                .setMaxFullFlushMergeWaitMillis(0) // a refresh never waits for merges; they run in the background
                .setCommitOnClose(false); // commits are explicit, with the index state attached
    }
}
