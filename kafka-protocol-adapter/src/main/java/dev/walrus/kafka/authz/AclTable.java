package dev.walrus.kafka.authz;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every stored ACL, grouped by resource type: what the authorizer checks requests against and what DescribeAcls
 * lists. The metadata log holds the changes ({@code AclCreated}, {@code AclDeleted}); this is the state they leave.
 *
 * <p>Threading: changed by the metadata registry under its lock; read by any thread without a lock, from an
 * immutable snapshot that each change replaces (checks run on every request, changes are rare).
 */
public final class AclTable {

    private volatile Map<ResourceType, List<Acl>> byType = Collections.emptyMap();

    /** The ACLs of one resource type, in creation order. */
    List<Acl> ofType(ResourceType type) {
        return byType.getOrDefault(type, List.of());
    }

    public boolean isEmpty() {
        return byType.isEmpty();
    }

    /** Whether this exact ACL is stored. */
    public boolean contains(Acl acl) {
        return ofType(acl.resourceType()).contains(acl);
    }

    /** Adds {@code acl}; an ACL that is already there stays once (creating it again is not an error in Kafka). */
    public void add(Acl acl) {
        Map<ResourceType, List<Acl>> next = copy();
        Set<Acl> ofType = new LinkedHashSet<>(next.getOrDefault(acl.resourceType(), List.of()));
        ofType.add(acl);
        next.put(acl.resourceType(), List.copyOf(ofType));
        byType = Collections.unmodifiableMap(next);
    }

    public void remove(Acl acl) {
        Map<ResourceType, List<Acl>> next = copy();
        List<Acl> ofType = new ArrayList<>(next.getOrDefault(acl.resourceType(), List.of()));
        ofType.remove(acl);
        if (ofType.isEmpty()) {
            next.remove(acl.resourceType());
        } else {
            next.put(acl.resourceType(), List.copyOf(ofType));
        }
        byType = Collections.unmodifiableMap(next);
    }

    /** The ACLs a DescribeAcls or DeleteAcls filter selects, with Kafka's filter rules (ANY, MATCH, nulls). */
    public List<Acl> matching(AclBindingFilter filter) {
        List<Acl> found = new ArrayList<>();
        for (Collection<Acl> ofType : byType.values()) {
            for (Acl acl : ofType) {
                if (filter.matches(binding(acl))) {
                    found.add(acl);
                }
            }
        }
        return found;
    }

    /** The filter of a DescribeAcls or DeleteAcls request, from its fields (the codes of Kafka's enums). */
    public static AclBindingFilter filter(byte resourceType, String resourceName, byte patternType, String principal,
                                         String host, byte operation, byte permission) {
        return new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.fromCode(resourceType), resourceName, PatternType.fromCode(patternType)),
                new AccessControlEntryFilter(principal, host, AclOperation.fromCode(operation),
                        AclPermissionType.fromCode(permission)));
    }

    /** The kafka-clients form of an ACL, whose filter semantics the ACL APIs use. */
    public static AclBinding binding(Acl acl) {
        return new AclBinding(new ResourcePattern(acl.resourceType(), acl.resourceName(), acl.patternType()),
                new AccessControlEntry(acl.principal(), acl.host(), acl.operation(), acl.permission()));
    }

    private Map<ResourceType, List<Acl>> copy() {
        Map<ResourceType, List<Acl>> next = new EnumMap<>(ResourceType.class);
        next.putAll(byType);
        return next;
    }
}
