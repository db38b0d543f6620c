package dev.nemobot.config;

/** A setting is missing or malformed; the message names the key and what is expected. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    static ConfigException invalid(String key, String value, String expected) {
        return new ConfigException("Invalid " + key + "=" + value + ": expected " + expected);
    }

    static ConfigException invalidSecret(String key, String expected) {
        return new ConfigException("Invalid " + key + ": expected " + expected);
    }
}
