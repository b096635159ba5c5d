package dev.walrus.broker.cli;

import dev.walrus.broker.config.ConfigException;
import dev.walrus.broker.config.ConfigOverrides;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The parsed command line. Kafka's {@code kafka-server-start.sh server.properties [--override key=value]...} form
 * works as it is; {@code --config}, {@code --port}, {@code --host} and {@code --data-dir} are shorthands.
 */
public record CommandLine(Optional<Path> configFile, Map<String, String> overrides, Optional<Path> dataDir,
                   Optional<String> host, Optional<Integer> port, boolean help, boolean version) {

    public static final String USAGE = """
            Usage: walrus-broker [CONFIG_FILE] [options]

            Starts Walrus Broker, a single-node Kafka-compatible broker (default: localhost:9092, data in ./walrus-data).

            Options:
              -c, --config FILE          server.properties-style file (Kafka's broker keys; same as CONFIG_FILE)
                  --override KEY=VALUE   set one config key over the file (repeatable), e.g. --override num.partitions=3
                  --port PORT            listen on this port (0 picks a free one); shorthand for the listeners port
                  --host HOST            listen on this host ("" or 0.0.0.0: every interface)
                  --data-dir DIR         where the data lives (log.dirs)
              -h, --help                 print this help and exit
              -V, --version              print the version and exit

            Precedence, lowest first: defaults, the file, --override in order, --data-dir/--host/--port.
            Exit codes: 0 stopped normally, 1 could not start (e.g. port in use), 2 bad command line or config.
            Every key is described in docs/configuration.md.
            """;

    public static CommandLine parse(String[] args) {
        Path configFile = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        Path dataDir = null;
        String host = null;
        Integer port = null;
        boolean help = false;
        boolean version = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String inlineValue = null;
            if (arg.startsWith("--") && arg.contains("=")) {
                name = arg.substring(0, arg.indexOf('='));
                inlineValue = arg.substring(arg.indexOf('=') + 1);
            }
            switch (name) {
                case "-h", "--help" -> help = true;
                case "-V", "--version" -> version = true;
                case "-c", "--config" -> {
                    String value = inlineValue != null ? inlineValue : valueOf(args, i++, name);
                    configFile = onlyOneConfig(configFile, value);
                }
                case "--override" -> {
                    String value = inlineValue != null ? inlineValue : valueOf(args, i++, name);
                    try {
                        Map.Entry<String, String> entry = ConfigOverrides.parseOverride(value);
                        overrides.put(entry.getKey(), entry.getValue());
                    } catch (ConfigException e) {
                        throw new UsageException(e.getMessage());
                    }
                }
                case "--port" -> port = portOf(inlineValue != null ? inlineValue : valueOf(args, i++, name));
                case "--host" -> host = inlineValue != null ? inlineValue : valueOf(args, i++, name);
                case "--data-dir" -> dataDir = Path.of(inlineValue != null ? inlineValue : valueOf(args, i++, name));
                default -> {
                    if (arg.startsWith("-")) {
                        throw new UsageException("unknown option " + name);
                    }
                    configFile = onlyOneConfig(configFile, arg);
                }
            }
        }
        return new CommandLine(Optional.ofNullable(configFile), Collections.unmodifiableMap(overrides),
                Optional.ofNullable(dataDir), Optional.ofNullable(host), Optional.ofNullable(port), help, version);
    }

    private static String valueOf(String[] args, int flagIndex, String flag) {
        if (flagIndex + 1 >= args.length) {
            throw new UsageException("option " + flag + " needs a value");
        }
        return args[flagIndex + 1];
    }

    private static Path onlyOneConfig(Path existing, String value) {
        if (existing != null) {
            throw new UsageException("only one config file may be given (got " + existing + " and " + value + ")");
        }
        return Path.of(value);
    }

    private static int portOf(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the one error message
        }
        throw new UsageException("--port must be a number from 0 to 65535, got '" + value + "'");
    }
}
