package dev.walrus.kafka.handlers;

import java.util.ArrayList;
import java.util.List;

/**
 * The operation codes of IncrementalAlterConfigs (the admin client's AlterConfigOp.OpType), for topic and broker
 * resources alike.
 */
enum ConfigOperation {
    SET, DELETE, APPEND, SUBTRACT;

    /** The operation of a protocol code, or null for a code the protocol does not define. */
    static ConfigOperation of(byte code) {
        return code >= 0 && code < values().length ? values()[code] : null;
    }

    /**
     * APPEND or SUBTRACT on a list config's items: APPEND adds each item not there yet, at the end; SUBTRACT removes
     * one occurrence of each. The result comma-joined, as the config's new value.
     */
    String applyToList(List<String> current, List<String> items) {
        List<String> result = new ArrayList<>(current);
        for (String item : items) {
            if (this == SUBTRACT) {
                result.remove(item);
            } else if (this == APPEND && !result.contains(item)) {
                result.add(item);
            }
        }
        return String.join(",", result);
    }
}
