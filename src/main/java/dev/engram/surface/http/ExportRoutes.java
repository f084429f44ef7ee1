package dev.engram.surface.http;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import dev.engram.memory.manage.MemoryExport;
import dev.engram.memory.manage.MemoryImport;
import io.javalin.http.Context;

/**
 * {@code GET /api/chats/{chat}/export}, {@code GET /api/export} (JSON Lines, streamed) and {@code POST /api/import}
 * (a JSON Lines body, {@code application/x-ndjson} or {@code application/jsonl}; a bad line answers 400 with its
 * number and nothing is imported).
 */
final class ExportRoutes {
    /** Largest import body; the server's {@code max_body_bytes} is for JSON requests, an export is larger. */
    static final long MAX_IMPORT_BYTES = 512L * 1024 * 1024;
    private static final String NDJSON = "application/x-ndjson";

    private final MemoryExport export;
    private final MemoryImport importer;

    ExportRoutes(MemoryExport export, MemoryImport importer) {
        this.export = export;
        this.importer = importer;
    }

    void exportChat(Context ctx) throws IOException {
        String chat = ManageRoutes.pathId(ctx, "chat");
        ctx.attribute(RequestLog.CHAT_ATTRIBUTE, chat);
        if (!export.exists(chat)) throw new ApiException(404, "chat_not_found", "no messages or memories in chat " + chat);
        stream(ctx, List.of(chat), "engram-" + chat.replaceAll("[^A-Za-z0-9_.-]", "_") + ".jsonl");
    }

    void exportAll(Context ctx) throws IOException {
        stream(ctx, export.allChats(), "engram-export.jsonl");
    }

    private void stream(Context ctx, List<String> chats, String fileName) throws IOException {
        ctx.contentType(NDJSON + "; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
        export.write(chats, ctx.outputStream());
    }

    void importLines(Context ctx) throws IOException {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        if (!type.startsWith(NDJSON) && !type.startsWith("application/jsonl")) {
            throw new ApiException(415, "unsupported_media_type",
                    "POST /api/import takes JSON Lines: Content-Type application/x-ndjson or application/jsonl");
        }
        if (ctx.contentLength() > MAX_IMPORT_BYTES) throw tooLarge();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new Capped(ctx.bodyInputStream()),
                StandardCharsets.UTF_8))) {
            ctx.json(importer.importLines(in));
        } catch (MemoryImport.InvalidLineException e) {
            throw new ApiException(400, "invalid_line", e.getMessage());
        }
    }

    private static ApiException tooLarge() {
        return new ApiException(413, "body_too_large", "an import body may be at most " + MAX_IMPORT_BYTES + " bytes");
    }

    /** Fails the read once more than {@link #MAX_IMPORT_BYTES} arrived. */
    private static final class Capped extends FilterInputStream {
        private long read;

        Capped(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count(1);
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) count(n);
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > MAX_IMPORT_BYTES) throw tooLarge();
        }
    }
}
