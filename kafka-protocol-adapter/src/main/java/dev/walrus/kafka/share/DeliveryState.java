package dev.walrus.kafka.share;

/**
 * The state of one in-flight record of a share partition (KIP-932), with the ids Kafka's share coordinator persists.
 * AVAILABLE records can be acquired; ACQUIRED ones are locked to one member until acknowledged, released or their
 * acquisition lock times out; ACKNOWLEDGED and ARCHIVED ones are done (accepted; rejected, gaps or out of attempts).
 */
enum DeliveryState {
    AVAILABLE((byte) 0),
    ACQUIRED((byte) 1),
    ACKNOWLEDGED((byte) 2),
    ARCHIVED((byte) 4);

    final byte id;

    DeliveryState(byte id) {
        this.id = id;
    }

    boolean done() {
        return this == ACKNOWLEDGED || this == ARCHIVED;
    }

    static DeliveryState forId(byte id) {
        for (DeliveryState s : values()) {
            if (s.id == id) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown delivery state " + id);
    }
}
