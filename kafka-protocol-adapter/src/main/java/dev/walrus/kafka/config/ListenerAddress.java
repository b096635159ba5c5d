package dev.walrus.kafka.config;

/**
 * One listener of {@code listeners} / {@code advertised.listeners}: {@code NAME://host:port}. An empty host means
 * every interface (for binding) or the machine's canonical host name (when advertised).
 */
public record ListenerAddress(String name, String host, int port) {

    /** Parses Kafka's listener syntax, including bracketed IPv6 hosts; throws IllegalArgumentException. */
    public static ListenerAddress parse(String listener) {
        String text = listener.trim();
        int scheme = text.indexOf("://");
        int colon = text.lastIndexOf(':');
        if (scheme <= 0 || colon <= scheme + 2) {
            throw new IllegalArgumentException("Listener '" + listener + "' is not of the form NAME://host:port");
        }
        String name = text.substring(0, scheme).toUpperCase(java.util.Locale.ROOT);
        String host = text.substring(scheme + 3, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Listener '" + listener + "' has no numeric port");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Listener '" + listener + "' has port " + port + " outside 0..65535");
        }
        if (!name.matches("[A-Z0-9_\\-]+")) {
            throw new IllegalArgumentException("Listener '" + listener + "' has an illegal name " + name);
        }
        return new ListenerAddress(name, host, port);
    }
}
