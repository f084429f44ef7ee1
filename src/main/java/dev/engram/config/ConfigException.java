package dev.engram.config;

/** An invalid configuration: the message names the file, the key and the rule it broke. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
