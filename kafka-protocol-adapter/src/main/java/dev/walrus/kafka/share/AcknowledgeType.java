package dev.walrus.kafka.share;

/**
 * The acknowledgement types of ShareFetch and ShareAcknowledge (KIP-932; RENEW from KIP-1222): what a member says of
 * a record it acquired. A GAP is an offset the member found no record at (a control record or a compacted one).
 */
enum AcknowledgeType {
    GAP, ACCEPT, RELEASE, REJECT, RENEW;

    /** The type of a request's byte, or null for an unknown one. */
    static AcknowledgeType forId(byte id) {
        return id >= 0 && id < values().length ? values()[id] : null;
    }
}
