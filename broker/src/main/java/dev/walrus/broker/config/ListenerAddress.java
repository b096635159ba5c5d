package dev.walrus.broker.config;

import java.util.Locale;

/**
 * One entry of {@code listeners} or {@code advertised.listeners}: {@code NAME://host:port}, as Kafka writes it.
 *
 * <p>An empty host means every interface (as in Kafka); an IPv6 host is written in brackets, {@code [::1]:9092}.
 *
 * @param name the listener name, e.g. {@code PLAINTEXT}
 * @param host the host, empty for every interface
 * @param port 0 to 65535; 0 picks a free port
 */
public record ListenerAddress(String name, String host, int port) {

    public static ListenerAddress parse(String key, String text) {
        String value = text.trim();
        int scheme = value.indexOf("://");
        if (scheme <= 0) {
            throw ConfigException.invalid(key, text, "expected NAME://host:port, e.g. PLAINTEXT://localhost:9092");
        }
        String name = value.substring(0, scheme).toUpperCase(Locale.ROOT);
        String hostPort = value.substring(scheme + 3);
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw ConfigException.invalid(key, text, "no port; expected NAME://host:port");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw ConfigException.invalid(key, text, "an IPv6 host must be written in brackets, e.g. PLAINTEXT://[::1]:9092");
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw ConfigException.invalid(key, text, "the port is not a number");
        }
        if (port < 0 || port > 65535) {
            throw ConfigException.invalid(key, text, "the port must be between 0 and 65535");
        }
        return new ListenerAddress(name, host, port);
    }

    /** True when the host stands for every interface ({@code PLAINTEXT://:9092} or {@code 0.0.0.0}). */
    public boolean isWildcard() {
        return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::");
    }

    public ListenerAddress withPort(int newPort) {
        return new ListenerAddress(name, host, newPort);
    }

    public ListenerAddress withHost(String newHost) {
        return new ListenerAddress(name, newHost, port);
    }

    @Override
    public String toString() {
        return name + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
