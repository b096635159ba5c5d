package dev.walrus.broker.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The layers of configuration, lowest first: the file, then {@code --override key=value} in order, then the friendly
 * flags ({@code --data-dir}, {@code --host}, {@code --port}), which win because they are the most specific.
 */
public final class ConfigOverrides {

    private ConfigOverrides() {}

    public static Map<String, String> merge(Optional<Path> file, Map<String, String> overrides,
                                            Optional<Path> dataDir, Optional<String> host, Optional<Integer> port) {
        Map<String, String> merged = new LinkedHashMap<>();
        file.ifPresent(f -> merged.putAll(ConfigFile.read(f)));
        merged.putAll(overrides);
        dataDir.ifPresent(d -> merged.put(BrokerConfig.LOG_DIRS, d.toString()));
        if (host.isPresent() || port.isPresent()) {
            ListenerAddress current = currentListener(merged);
            ListenerAddress wanted = current.withHost(host.orElse(current.host())).withPort(port.orElse(current.port()));
            merged.put(BrokerConfig.LISTENERS, wanted.toString());
        }
        return merged;
    }

    /**
     * The entry of {@code listeners} that {@code --host}/{@code --port} adjust: the first one that is not a controller
     * listener (the default one if none).
     */
    private static ListenerAddress currentListener(Map<String, String> merged) {
        String value = merged.getOrDefault(BrokerConfig.LISTENERS, BrokerConfig.DEFAULT_LISTENERS);
        java.util.Set<String> controllers = new java.util.HashSet<>();
        for (String name : merged.getOrDefault(BrokerConfig.CONTROLLER_LISTENER_NAMES, "").split(",")) {
            controllers.add(name.trim().toUpperCase(java.util.Locale.ROOT));
        }
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                ListenerAddress address = ListenerAddress.parse(BrokerConfig.LISTENERS, part);
                if (!controllers.contains(address.name())) {
                    return address;
                }
            }
        }
        return ListenerAddress.parse(BrokerConfig.LISTENERS, BrokerConfig.DEFAULT_LISTENERS);
    }

    /** Parses one {@code key=value} of {@code --override}. */
    public static Map.Entry<String, String> parseOverride(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException("Invalid override '" + text + "': expected key=value");
        }
        return Map.entry(text.substring(0, eq).trim(), text.substring(eq + 1).trim());
    }
}
