package dev.walrus.kafka.authz;

import org.apache.kafka.common.acl.AclBinding;

/**
 * Kafka's rules for a new ACL (CreateAcls), in Kafka's order, each with Kafka's message; a creation that breaks one is
 * answered INVALID_REQUEST with it, the others of the request are still created.
 */
public final class AclValidation {

    private AclValidation() {}

    /** What is wrong with {@code binding} as a new ACL, or null when nothing is. */
    public static String problemWithNewAcl(AclBinding binding) {
        String name = binding.pattern().name();
        switch (binding.pattern().resourceType()) {
            case CLUSTER -> {
                if (!Authorizer.CLUSTER_NAME.equals(name)) {
                    return "The only valid name for the CLUSTER resource is " + Authorizer.CLUSTER_NAME;
                }
            }
            case UNKNOWN, ANY -> {
                return "Invalid resourceType " + binding.pattern().resourceType();
            }
            default -> { }
        }
        if (name == null || name.isEmpty()) {
            return "Invalid empty resource name";
        }
        switch (binding.pattern().patternType()) {
            case LITERAL, PREFIXED -> { }
            default -> {
                return "Invalid patternType " + binding.pattern().patternType();
            }
        }
        switch (binding.entry().operation()) {
            case UNKNOWN, ANY -> {
                return "Invalid operation " + binding.entry().operation();
            }
            default -> { }
        }
        switch (binding.entry().permissionType()) {
            case ALLOW, DENY -> { }
            default -> {
                return "Invalid permissionType " + binding.entry().permissionType();
            }
        }
        String principal = binding.entry().principal();
        if (principal == null || principal.indexOf(':') < 0) {
            return "Could not parse principal from `" + principal + "` (no colon is present separating the principal "
                    + "type from the principal name)";
        }
        String host = binding.entry().host();
        if (host == null || host.isEmpty()) {
            return "Host pattern cannot be null or empty";
        }
        if (host.contains("/") && !HostRange.isRange(host)) {
            return "Invalid CIDR notation '" + host + "': expected an IP address, a slash and a prefix length";
        }
        return null;
    }
}
