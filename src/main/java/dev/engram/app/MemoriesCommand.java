package dev.engram.app;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code engram memories list|show|edit|pin|unpin|forget|export|import}: the memory API for operators without HTTP
 * tools. Every sub-command calls a running {@code engram serve} ({@code --url}, default the local server), so it
 * never competes with the server for the database and index files. Errors are one line on stderr and exit code 2.
 */
@Command(name = "memories", mixinStandardHelpOptions = true,
        description = "Browse, correct, pin, forget, export and import memories of a running Engram.",
        subcommands = {MemoriesCommand.ListMemories.class, MemoriesCommand.Show.class, MemoriesCommand.Edit.class,
                MemoriesCommand.Pin.class, MemoriesCommand.Unpin.class, MemoriesCommand.Forget.class,
                MemoriesCommand.Export.class, MemoriesCommand.Import.class})
final class MemoriesCommand implements Runnable {
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs a call; a failure is one line on stderr and exit code 2. */
    private abstract static class Call implements Callable<Integer> {
        @Mixin
        MemoriesClient client;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public final Integer call() throws Exception {
            try {
                run(spec.commandLine().getOut());
                spec.commandLine().getOut().flush();
                return 0;
            } catch (MemoriesClient.Failure e) {
                spec.commandLine().getErr().println("engram memories " + spec.name() + ": " + e.getMessage());
                return 2;
            }
        }

        abstract void run(PrintWriter out) throws Exception;

        static void print(PrintWriter out, JsonNode n) throws IOException {
            out.println(PRETTY.writeValueAsString(n));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List a chat's memories, newest first.")
    static final class ListMemories extends Call {
        @Option(names = "--chat", required = true, description = "The chat id.")
        String chat;
        @Option(names = "--speaker", description = "Only memories of this user id or name.")
        String speaker;
        @Option(names = "--state", description = "current, superseded or all (default: all).")
        String state;
        @Option(names = "--text", description = "Only memories containing this text.")
        String text;
        @Option(names = "--source", description = "instant (written from messages) or manual (stored through the API).")
        String source;
        @Option(names = "--pinned", arity = "0..1", fallbackValue = "true",
                description = "Only pinned memories (--pinned=false: only unpinned ones).")
        Boolean pinned;
        @Option(names = "--limit", defaultValue = "50", description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;
        @Option(names = "--json", description = "Print the API's JSON instead of one line per memory.")
        boolean json;

        @Override
        void run(PrintWriter out) throws IOException {
            List<String> q = new ArrayList<>(List.of("limit=" + limit));
            if (speaker != null) q.add("speaker=" + MemoriesClient.encode(speaker));
            if (state != null) q.add("state=" + MemoriesClient.encode(state));
            if (text != null) q.add("q=" + MemoriesClient.encode(text));
            if (source != null) q.add("source=" + MemoriesClient.encode(source));
            if (pinned != null) q.add("pinned=" + pinned);
            JsonNode page = client.get("/api/chats/" + MemoriesClient.encode(chat) + "/memories?" + String.join("&", q));
            if (json) {
                print(out, page);
                return;
            }
            for (JsonNode m : page.path("memories")) {
                out.printf("%d\t%s%s\t%s\t%s%n", m.path("id").asLong(), m.path("current").asBoolean() ? "current" : "superseded",
                        m.path("pinned").asBoolean() ? ",pinned" : "", m.path("speaker_name").asText(m.path("speaker_id").asText("-")),
                        m.path("text").asText());
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One memory with its provenance and history (JSON).")
    static final class Show extends OnMemory {
        @Override
        void run(PrintWriter out) throws IOException {
            print(out, client.get("/api/memories/" + id));
        }
    }

    @Command(name = "edit", mixinStandardHelpOptions = true,
            description = "Correct a memory's text (the old text stays as history).")
    static final class Edit extends OnMemory {
        @Parameters(index = "1", paramLabel = "TEXT")
        String text;

        @Override
        void run(PrintWriter out) throws IOException {
            print(out, client.patch("/api/memories/" + id, PRETTY.createObjectNode().put("text", text)));
        }
    }

    @Command(name = "pin", mixinStandardHelpOptions = true,
            description = "Pin a memory: forgetting, retention and consolidation never remove it.")
    static final class Pin extends OnMemory {
        @Override
        void run(PrintWriter out) throws IOException {
            pin(out, true);
        }
    }

    @Command(name = "unpin", mixinStandardHelpOptions = true, description = "Unpin a memory.")
    static final class Unpin extends OnMemory {
        @Override
        void run(PrintWriter out) throws IOException {
            pin(out, false);
        }
    }

    /** A sub-command on one memory, named by its id (the first parameter). */
    abstract static class OnMemory extends Call {
        @Parameters(index = "0", paramLabel = "ID")
        long id;

        void pin(PrintWriter out, boolean pinned) throws IOException {
            print(out, client.patch("/api/memories/" + id, PRETTY.createObjectNode().put("pinned", pinned)));
        }
    }

    @Command(name = "forget", mixinStandardHelpOptions = true,
            description = "Delete one memory (--memory), forget a speaker (--chat and --speaker, --everywhere for all"
                    + " chats) or a whole chat (--chat); prints the receipt.")
    static final class Forget extends Call {
        @Option(names = "--memory", description = "Delete this memory.")
        Long memory;
        @Option(names = "--chat", description = "The chat.")
        String chat;
        @Option(names = "--speaker", description = "The user id to forget.")
        String speaker;
        @Option(names = "--everywhere", description = "Forget the speaker in every chat.")
        boolean everywhere;

        @Override
        void run(PrintWriter out) throws IOException {
            if (memory != null) {
                if (chat != null || speaker != null) throw new MemoriesClient.Failure("--memory goes alone");
                print(out, client.delete("/api/memories/" + memory));
            } else if (chat == null) {
                throw new MemoriesClient.Failure("name --memory ID, or --chat (with --speaker to forget one speaker)");
            } else if (speaker != null) {
                print(out, client.delete("/api/chats/" + MemoriesClient.encode(chat) + "/speakers/"
                        + MemoriesClient.encode(speaker) + (everywhere ? "?everywhere=true" : "")));
            } else {
                if (everywhere) throw new MemoriesClient.Failure("--everywhere needs --speaker");
                print(out, client.delete("/api/chats/" + MemoriesClient.encode(chat)));
            }
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Export a chat (--chat) or everything as JSON Lines, to --out or stdout.")
    static final class Export extends Call {
        @Option(names = "--chat", description = "Only this chat.")
        String chat;
        @Option(names = "--out", description = "Write to this file instead of stdout.")
        Path file;

        @Override
        void run(PrintWriter out) throws IOException {
            String path = chat == null ? "/api/export" : "/api/chats/" + MemoriesClient.encode(chat) + "/export";
            if (file == null) {
                OutputStream stdout = new BufferedOutputStream(System.out);
                client.download(path, stdout);
                return;
            }
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(partial))) {
                client.download(path, os);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(partial);
                if (e instanceof IOException io) throw new MemoriesClient.Failure("cannot write " + file + ": " + io.getMessage());
                throw e;
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            out.println("wrote " + file.toAbsolutePath());
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Import a JSON Lines export into the running Engram; prints the receipt.")
    static final class Import extends Call {
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Override
        void run(PrintWriter out) throws IOException {
            if (!Files.isRegularFile(file)) throw new MemoriesClient.Failure("no such file: " + file);
            print(out, client.upload(file));
        }
    }

}
