package dev.walrus.kafka.authz;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides whether a principal may perform an operation on a resource, as Kafka's {@code StandardAuthorizer} does,
 * over the ACLs of an {@link AclTable}:
 *
 * <ol>
 *   <li>a principal listed in {@code super.users} may do anything;
 *   <li>an ACL applies when its pattern covers the resource (LITERAL: the name or {@code *}; PREFIXED: a prefix of the
 *       name), its principal is the client's or {@code User:*}, and its host is the client's address, a CIDR range
 *       containing it, or {@code *};
 *   <li>an applying DENY for the operation (or ALL) refuses, whatever else allows;
 *   <li>else an applying ALLOW for the operation (or ALL) allows; an ALLOW of READ, WRITE, DELETE or ALTER also allows
 *       DESCRIBE, and one of ALTER_CONFIGS allows DESCRIBE_CONFIGS (only ALLOWs imply: a DENY of READ does not deny
 *       DESCRIBE);
 *   <li>else, when no ACL at all (of any principal) covers the resource, {@code allow.everyone.if.no.acl.found}
 *       decides (false by default); otherwise the request is refused.
 * </ol>
 *
 * <p>With no {@code authorizer.class.name} (Kafka's default) there is no authorizer: {@link #NONE} allows every
 * request, and the ACL APIs answer SECURITY_DISABLED.
 *
 * <p>Threading: immutable apart from the table, which is read lock-free; any thread may check.
 */
public final class Authorizer {

    /** The authorizer class a Kafka 4.x (KRaft) broker configures; the only one this broker implements. */
    public static final String STANDARD_AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

    /** The name of the one CLUSTER resource. */
    public static final String CLUSTER_NAME = "kafka-cluster";

    /** The principal of a connection nobody authenticated (PLAINTEXT, or SSL without a client certificate). */
    public static final String ANONYMOUS = "User:ANONYMOUS";

    /** No authorizer: every request is allowed. */
    public static final Authorizer NONE = new Authorizer(false, Set.of(), false, new AclTable());

    private final boolean enabled;
    private final Set<String> superUsers;
    private final boolean allowEveryoneIfNoAclFound;
    private final AclTable acls;

    private Authorizer(boolean enabled, Set<String> superUsers, boolean allowEveryoneIfNoAclFound, AclTable acls) {
        this.enabled = enabled;
        this.superUsers = superUsers;
        this.allowEveryoneIfNoAclFound = allowEveryoneIfNoAclFound;
        this.acls = acls;
    }

    /**
     * The authorizer the broker properties ask for, over {@code acls}: {@link #NONE} unless
     * {@code authorizer.class.name} names {@link #STANDARD_AUTHORIZER}.
     *
     * @throws IllegalArgumentException for another authorizer class (the broker's config check reports it first)
     */
    public static Authorizer from(Map<String, String> properties, AclTable acls) {
        String className = properties.getOrDefault("authorizer.class.name", "").trim();
        if (className.isEmpty()) {
            return NONE;
        }
        checkClassName(className);
        return new Authorizer(true, superUsers(properties.get("super.users")),
                Boolean.parseBoolean(properties.getOrDefault("allow.everyone.if.no.acl.found", "false").trim()), acls);
    }

    /** @throws IllegalArgumentException unless {@code className} is empty or the standard authorizer */
    public static void checkClassName(String className) {
        if (!className.isEmpty() && !className.equals(STANDARD_AUTHORIZER)) {
            throw new IllegalArgumentException("authorizer.class.name " + className + " is not supported: the only "
                    + "authorizer is " + STANDARD_AUTHORIZER + " (ACLs stored in the metadata log)");
        }
    }

    /** {@code super.users}: principals separated by semicolons, e.g. {@code User:admin;User:ops}. */
    static Set<String> superUsers(String value) {
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(value.split(";")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Whether an authorizer is configured (else every check passes and the ACL APIs are disabled). */
    public boolean enabled() {
        return enabled;
    }

    public AclTable acls() {
        return acls;
    }

    /** Whether {@code principal} at {@code address} may perform {@code operation} on the named resource. */
    public boolean authorize(String principal, String address, AclOperation operation, ResourceType type, String name) {
        return decide(principal, address, operation, type, name).allowed();
    }

    /** The outcome of one check and the rule that decided it, as Kafka's audit log names it. */
    public record Decision(boolean allowed, Acl matched, String defaultRule) {
        static final Decision SUPER_USER = new Decision(true, null, "SuperUser");
        static final Decision DEFAULT_ALLOW = new Decision(true, null, "DefaultAllow");
        static final Decision DEFAULT_DENY = new Decision(false, null, "DefaultDeny");

        /** Built only when logged: checks run on every request. */
        public String rule() {
            return matched == null ? defaultRule : "MatchingAcl(acl=" + matched + ")";
        }
    }

    /** {@link #authorize}, with the rule that decided. */
    public Decision decide(String principal, String address, AclOperation operation, ResourceType type, String name) {
        if (!enabled || superUsers.contains(principal)) {
            return Decision.SUPER_USER;
        }
        Acl allowing = null;
        boolean resourceHasAcls = false;
        for (Acl acl : acls.ofType(type)) {
            if (!acl.covers(name)) {
                continue;
            }
            resourceHasAcls = true;
            if (!acl.appliesTo(principal) || !acl.appliesFrom(address)) {
                continue;
            }
            if (acl.permission() == AclPermissionType.DENY) {
                if (acl.operation() == AclOperation.ALL || acl.operation() == operation) {
                    return new Decision(false, acl, null);
                }
            } else if (acl.permission() == AclPermissionType.ALLOW && allowsThrough(acl.operation(), operation)) {
                allowing = acl;
            }
        }
        if (allowing != null) {
            return new Decision(true, allowing, null);
        }
        if (resourceHasAcls) {
            return Decision.DEFAULT_DENY;
        }
        return allowEveryoneIfNoAclFound ? Decision.DEFAULT_ALLOW : Decision.DEFAULT_DENY;
    }

    /**
     * Whether {@code principal} may perform {@code operation} on at least one resource of {@code type}, as Kafka's
     * {@code authorizeByResourceType} decides it (an idempotent producer needs WRITE on some topic): a super user, or
     * a resource nobody has ACLs on under {@code allow.everyone.if.no.acl.found}, may; otherwise some ALLOW for the
     * operation (or ALL) must apply whose pattern no applying DENY covers: a DENY of the wildcard denies everything,
     * a LITERAL DENY cancels the same LITERAL ALLOW, a PREFIXED DENY every ALLOW whose name starts with its prefix.
     * No operation implies another here.
     */
    public boolean authorizeByResourceType(String principal, String address, AclOperation operation, ResourceType type) {
        if (authorize(principal, address, operation, type, "hardcode")) {
            return true; // Kafka's own probe: super users and the no-ACL default
        }
        Set<String> deniedLiterals = new HashSet<>();
        Set<String> deniedPrefixes = new HashSet<>();
        List<Acl> allows = new java.util.ArrayList<>();
        for (Acl acl : acls.ofType(type)) {
            if (!acl.appliesTo(principal) || !acl.appliesFrom(address)) {
                continue;
            }
            if (acl.operation() != operation && acl.operation() != AclOperation.ALL) {
                continue;
            }
            if (acl.permission() == AclPermissionType.DENY) {
                if (acl.patternType() == PatternType.LITERAL && acl.resourceName().equals(Acl.WILDCARD_RESOURCE)) {
                    return false;
                }
                (acl.patternType() == PatternType.LITERAL ? deniedLiterals : deniedPrefixes).add(acl.resourceName());
            } else if (acl.permission() == AclPermissionType.ALLOW) {
                if (acl.patternType() == PatternType.LITERAL && acl.resourceName().equals(Acl.WILDCARD_RESOURCE)) {
                    return true;
                }
                allows.add(acl);
            }
        }
        for (Acl allow : allows) {
            String name = allow.resourceName();
            if (allow.patternType() == PatternType.LITERAL && deniedLiterals.contains(name)) {
                continue;
            }
            boolean deniedByPrefix = false;
            for (int end = 1; end <= name.length() && !deniedByPrefix; end++) {
                deniedByPrefix = deniedPrefixes.contains(name.substring(0, end));
            }
            if (!deniedByPrefix) {
                return true;
            }
        }
        return false;
    }

    /**
     * The operations of {@code supported} that {@code principal} may perform on the named resource, as the bit field
     * Metadata, DescribeCluster, DescribeGroups and DescribeTopicPartitions report (bit n for operation code n).
     */
    public int authorizedOperations(String principal, String address, ResourceType type, String name,
                                    Set<AclOperation> supported) {
        int bits = 0;
        for (AclOperation operation : supported) {
            if (authorize(principal, address, operation, type, name)) {
                bits |= 1 << operation.code();
            }
        }
        return bits;
    }

    /** Whether an ALLOW of {@code granted} allows {@code wanted}: the same, ALL, or an operation that implies it. */
    private static boolean allowsThrough(AclOperation granted, AclOperation wanted) {
        if (granted == AclOperation.ALL || granted == wanted) {
            return true;
        }
        return switch (wanted) {
            case DESCRIBE -> IMPLIES_DESCRIBE.contains(granted);
            case DESCRIBE_CONFIGS -> granted == AclOperation.ALTER_CONFIGS;
            default -> false;
        };
    }

    private static final Set<AclOperation> IMPLIES_DESCRIBE = EnumSet.of(AclOperation.READ, AclOperation.WRITE,
            AclOperation.DELETE, AclOperation.ALTER);
}
