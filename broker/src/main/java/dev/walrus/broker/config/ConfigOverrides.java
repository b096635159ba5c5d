package dev.walrus.broker.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
            List<ListenerAddress> served = clientListeners(merged);
            ListenerAddress first = served.getFirst();
            served.set(0, first.withHost(host.orElse(first.host())).withPort(port.orElse(first.port())));
            merged.put(BrokerConfig.LISTENERS, String.join(",", served.stream().map(ListenerAddress::toString).toList()));
        }
        return merged;
    }

    /**
     * The entries of {@code listeners} that clients use (the controller listeners, and any without a security
     * protocol, left out), the default one if none: {@code --host}/{@code --port} adjust the first and keep the others.
     */
    private static List<ListenerAddress> clientListeners(Map<String, String> merged) {
        String value = merged.getOrDefault(BrokerConfig.LISTENERS, BrokerConfig.DEFAULT_LISTENERS);
        Set<String> controllers = BrokerConfig.controllerListenerNames(merged);
        Map<String, String> protocols = BrokerConfig.securityProtocols(merged);
        List<ListenerAddress> served = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                ListenerAddress address = ListenerAddress.parse(BrokerConfig.LISTENERS, part);
                if (!controllers.contains(address.name()) && protocols.containsKey(address.name())) {
                    served.add(address);
                }
            }
        }
        if (served.isEmpty()) {
            served.add(ListenerAddress.parse(BrokerConfig.LISTENERS, BrokerConfig.DEFAULT_LISTENERS));
        }
        return served;
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
