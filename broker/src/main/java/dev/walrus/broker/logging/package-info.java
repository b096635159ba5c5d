/**
 * The process's logging: logback, configured in code at slf4j's first use ({@link dev.walrus.broker.logging.LogbackSetup},
 * found by logback as a service, no configuration file read), one line per event on standard output
 * ({@link dev.walrus.broker.logging.LogLineEncoder}), levels set at launch by system properties
 * ({@link dev.walrus.broker.logging.LaunchLevels}) and changed at runtime through Kafka's BROKER_LOGGER resource
 * ({@link dev.walrus.broker.logging.LogbackLoggers}, handed to the adapter).
 */
package dev.walrus.broker.logging;
