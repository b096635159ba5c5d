package dev.walrus.kafka.metadata;

/** This node as clients see it: the leader, only replica and controller of everything. */
public record BrokerNode(int nodeId, String host, int port, String rack) {}
