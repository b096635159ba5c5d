package dev.walrus.kafka.group;

import java.util.Locale;

/**
 * {@code group.consumer.migration.policy} (KIP-848): whether a live group may move between the classic and the
 * consumer protocol. An upgrade turns a classic group into a consumer group when a consumer-protocol member joins it;
 * a downgrade turns a consumer group back into a classic group when its last consumer-protocol member leaves and only
 * classic members remain. Empty groups convert either way whatever the policy.
 */
public enum MigrationPolicy {
    /** No online migration; a classic member cannot join a consumer group at all. */
    DISABLED,
    /** Classic to consumer only. */
    UPGRADE,
    /** Consumer to classic only. */
    DOWNGRADE,
    /** Both directions: Kafka 4.x's default. */
    BIDIRECTIONAL;

    public boolean upgradeEnabled() {
        return this == UPGRADE || this == BIDIRECTIONAL;
    }

    public boolean downgradeEnabled() {
        return this == DOWNGRADE || this == BIDIRECTIONAL;
    }

    /** Parses the config value, case-insensitively as Kafka does. */
    public static MigrationPolicy parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
