package dev.walrus.broker.config;

/** A bad configuration: the message is one line that names the key, the bad value and the rule it breaks. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    static ConfigException invalid(String key, String value, String rule) {
        return new ConfigException("Invalid value '" + value + "' for configuration " + key + ": " + rule);
    }
}
