package dev.engram.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

/**
 * The whole configuration of one Engram instance, read from {@code config.toml}. The section records'
 * {@code DEFAULTS} are the one source of every default: their {@code read} methods fall back to them,
 * the composition root maps them onto the settings of the parts, and the commented
 * {@code default-config.toml} resource that {@link #loadOrCreate} writes when the file is missing is
 * checked against them by a test (every key, same value). Invalid or unknown keys fail with a
 * {@link ConfigException} naming the key and the rule.
 */
public record EngramConfig(ServerConfig server, StorageConfig storage, LlmConfig llm, ChatConfig chat,
                           MemoryConfig memory, RecallConfig recall, EmbeddingConfig embedding,
                           TasksConfig tasks, OneBotConfig onebot, ProxyConfig proxy,
                           ClusterConfig cluster, Path source) {
    /** Classpath resource holding the commented default file. */
    public static final String DEFAULT_RESOURCE = "/default-config.toml";

    public EngramConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(llm, "llm");
        Objects.requireNonNull(chat, "chat");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(recall, "recall");
        Objects.requireNonNull(embedding, "embedding");
        Objects.requireNonNull(tasks, "tasks");
        Objects.requireNonNull(onebot, "onebot");
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(cluster, "cluster");
        if (cluster.enabled() && !storage.postgres()) {
            throw new ConfigException("cluster.enabled = true needs PostgreSQL: set storage.url (jdbc:postgresql://host[:port]/database)");
        }
    }

    /** Reads {@code file}; when it does not exist, writes the commented default there first. */
    public static EngramConfig loadOrCreate(Path file) {
        if (!Files.exists(file)) {
            try {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) Files.createDirectories(parent);
                Files.writeString(file, defaultText(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ConfigException("cannot write default config to " + file + ": " + e.getMessage(), e);
            }
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file);
        } catch (IOException e) {
            throw new ConfigException("cannot read config " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses TOML text; relative paths resolve against the directory of {@code source}. */
    public static EngramConfig parse(String toml, Path source) {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(toml);
        } catch (JacksonException e) {
            throw new ConfigException("config " + source + " is not valid TOML: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""), e);
        }
        try {
            return read(root, source, new LinkedHashSet<>());
        } catch (ConfigException e) {
            throw new ConfigException("config " + (source == null ? "<text>" : source) + ": " + e.getMessage(), e);
        }
    }

    /** The built-in defaults, for a config file in {@code baseDir} (the same as an empty file there). */
    public static EngramConfig defaults(Path baseDir) {
        return new EngramConfig(ServerConfig.DEFAULTS, StorageConfig.defaults(baseDir.toAbsolutePath()),
                LlmConfig.DEFAULTS, ChatConfig.DEFAULTS, MemoryConfig.DEFAULTS, RecallConfig.DEFAULTS,
                EmbeddingConfig.DEFAULTS, TasksConfig.DEFAULTS, OneBotConfig.DEFAULTS, ProxyConfig.DEFAULTS, ClusterConfig.DEFAULTS,
                baseDir.resolve("config.toml"));
    }

    /**
     * Reads a parsed TOML tree; adds the full dotted name of every key it reads
     * ({@code tasks.store.timeout_ms}) to {@code keys}.
     */
    static EngramConfig read(JsonNode root, Path source, Set<String> keys) {
        Path base = source == null || source.toAbsolutePath().getParent() == null
                ? Path.of("").toAbsolutePath() : source.toAbsolutePath().getParent();
        Section top = new Section("", root, keys);
        EngramConfig config = new EngramConfig(
                ServerConfig.read(top.section("server")),
                StorageConfig.read(top.section("storage"), base),
                LlmConfig.read(top.section("llm")),
                ChatConfig.read(top.section("chat")),
                MemoryConfig.read(top.section("memory")),
                RecallConfig.read(top.section("recall")),
                EmbeddingConfig.read(top.section("embedding")),
                TasksConfig.read(top.section("tasks")),
                OneBotConfig.read(top.section("onebot")),
                ProxyConfig.read(top.section("proxy")),
                ClusterConfig.read(top.section("cluster")),
                source);
        top.finish();
        return config;
    }

    /** The commented default {@code config.toml}. */
    public static String defaultText() {
        try (InputStream in = EngramConfig.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing resource " + DEFAULT_RESOURCE);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
