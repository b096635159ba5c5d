/** The command line: flags, usage text, and their one-line errors. {@code dev.walrus.broker.BrokerMain} runs it. */
package dev.walrus.broker.cli;
