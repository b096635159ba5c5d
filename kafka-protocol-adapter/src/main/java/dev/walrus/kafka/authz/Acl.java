package dev.walrus.kafka.authz;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * One access control entry bound to a resource pattern, as {@code kafka-acls --add} creates it: "principal P is
 * allowed (or denied) operation O from host H on resources matching the pattern".
 *
 * @param resourceType TOPIC, GROUP, CLUSTER, TRANSACTIONAL_ID, DELEGATION_TOKEN or USER
 * @param resourceName the name, or the prefix of a PREFIXED pattern; {@code *} in a LITERAL pattern matches every name
 * @param patternType LITERAL or PREFIXED (stored ACLs never have the filter-only types ANY and MATCH)
 * @param principal e.g. {@code User:alice}; {@code User:*} matches every principal
 * @param host an IP address, a CIDR range, or {@code *} for every host
 * @param operation what is allowed or denied; ALL covers every operation
 * @param permission ALLOW or DENY
 */
public record Acl(ResourceType resourceType, String resourceName, PatternType patternType, String principal,
                  String host, AclOperation operation, AclPermissionType permission) {

    /** The resource name of LITERAL patterns that match every resource of their type. */
    public static final String WILDCARD_RESOURCE = "*";

    /** The principal of ACLs that apply to every principal. */
    public static final String WILDCARD_PRINCIPAL = "User:*";

    /** The host of ACLs that apply to every host. */
    public static final String WILDCARD_HOST = "*";

    /** The ACL a kafka-clients binding describes (the ACL APIs carry bindings). */
    public static Acl of(AclBinding binding) {
        return new Acl(binding.pattern().resourceType(), binding.pattern().name(), binding.pattern().patternType(),
                binding.entry().principal(), binding.entry().host(), binding.entry().operation(),
                binding.entry().permissionType());
    }

    /** As Kafka's audit log shows an ACL. */
    @Override
    public String toString() {
        return "StandardAcl(resourceType=" + resourceType + ", resourceName=" + resourceName + ", patternType="
                + patternType + ", principal=" + principal + ", host=" + host + ", operation=" + operation
                + ", permissionType=" + permission + ")";
    }

    /** Whether this ACL's resource pattern covers the resource {@code name} (of this ACL's type). */
    boolean covers(String name) {
        return switch (patternType) {
            case LITERAL -> resourceName.equals(name) || resourceName.equals(WILDCARD_RESOURCE);
            case PREFIXED -> name.startsWith(resourceName);
            default -> false;
        };
    }

    /** Whether this ACL names {@code principal}, itself or through the wildcard. */
    boolean appliesTo(String principal) {
        return this.principal.equals(principal) || this.principal.equals(WILDCARD_PRINCIPAL);
    }

    /** Whether this ACL applies to a client at {@code address} (its textual IP address). */
    boolean appliesFrom(String address) {
        return host.equals(WILDCARD_HOST) || host.equals(address) || HostRange.contains(host, address);
    }
}
