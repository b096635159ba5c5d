package dev.walrus.kafka.authz;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.apache.kafka.common.acl.AclOperation.ALL;
import static org.apache.kafka.common.acl.AclOperation.ALTER_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.acl.AclPermissionType.ALLOW;
import static org.apache.kafka.common.acl.AclPermissionType.DENY;
import static org.apache.kafka.common.resource.PatternType.LITERAL;
import static org.apache.kafka.common.resource.PatternType.PREFIXED;
import static org.apache.kafka.common.resource.ResourceType.GROUP;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The StandardAuthorizer's decision rules over a real ACL table. */
class AuthorizerTest {

    private static final String ALICE = "User:alice";
    private static final String HOST = "10.1.2.3";

    private final AclTable acls = new AclTable();

    private Authorizer authorizer(String... extra) {
        Map<String, String> props = new java.util.HashMap<>(Map.of("authorizer.class.name", Authorizer.STANDARD_AUTHORIZER));
        for (int i = 0; i < extra.length; i += 2) {
            props.put(extra[i], extra[i + 1]);
        }
        return Authorizer.from(props, acls);
    }

    private void add(ResourceType type, String name, PatternType pattern, String principal, String host,
                     AclOperation operation, AclPermissionType permission) {
        acls.add(new Acl(type, name, pattern, principal, host, operation, permission));
    }

    @Test
    void shouldAllowEverythingWithoutAnAuthorizerClass() {
        Authorizer none = Authorizer.from(Map.of(), acls);
        assertThat(none.enabled()).isFalse();
        assertThat(none.authorize(ALICE, HOST, WRITE, TOPIC, "t")).isTrue();
    }

    @Test
    void shouldRefuseAnotherAuthorizerClass() {
        assertThatThrownBy(() -> Authorizer.from(Map.of("authorizer.class.name", "com.example.Mine"), acls))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("com.example.Mine");
    }

    @Test
    void shouldDenyAResourceWithoutAclsUnlessEveryoneIsAllowed() {
        assertThat(authorizer().authorize(ALICE, HOST, READ, TOPIC, "t")).isFalse();
        assertThat(authorizer("allow.everyone.if.no.acl.found", "true").authorize(ALICE, HOST, READ, TOPIC, "t")).isTrue();
    }

    @Test
    void shouldNotAllowEveryoneOnAResourceThatHasAclsForSomeoneElse() {
        add(TOPIC, "t", LITERAL, "User:bob", "*", READ, ALLOW);
        Authorizer authorizer = authorizer("allow.everyone.if.no.acl.found", "true");
        assertThat(authorizer.authorize(ALICE, HOST, READ, TOPIC, "t")).isFalse();
        assertThat(authorizer.authorize(ALICE, HOST, READ, TOPIC, "other")).isTrue();
    }

    @Test
    void shouldAllowSuperUsersEvenAgainstADeny() {
        add(TOPIC, "*", LITERAL, "User:*", "*", ALL, DENY);
        Authorizer authorizer = authorizer("super.users", " User:admin ; User:ops");
        assertThat(authorizer.authorize("User:ops", HOST, WRITE, TOPIC, "t")).isTrue();
        assertThat(authorizer.authorize(ALICE, HOST, WRITE, TOPIC, "t")).isFalse();
    }

    @Test
    void shouldMatchLiteralWildcardAndPrefixedPatterns() {
        add(TOPIC, "orders", LITERAL, ALICE, "*", READ, ALLOW);
        add(GROUP, "*", LITERAL, ALICE, "*", READ, ALLOW);
        add(TOPIC, "logs-", PREFIXED, ALICE, "*", WRITE, ALLOW);
        Authorizer authorizer = authorizer();
        assertThat(authorizer.authorize(ALICE, HOST, READ, TOPIC, "orders")).isTrue();
        assertThat(authorizer.authorize(ALICE, HOST, READ, TOPIC, "orders2")).isFalse();
        assertThat(authorizer.authorize(ALICE, HOST, READ, GROUP, "any-group")).isTrue();
        assertThat(authorizer.authorize(ALICE, HOST, WRITE, TOPIC, "logs-app")).isTrue();
        assertThat(authorizer.authorize(ALICE, HOST, WRITE, TOPIC, "log")).isFalse();
        assertThat(authorizer.authorize(ALICE, HOST, READ, TOPIC, "logs-app")).isFalse();
    }

    @Test
    void shouldLetADenyWinOverAnyAllow() {
        add(TOPIC, "*", LITERAL, ALICE, "*", ALL, ALLOW);
        add(TOPIC, "secret-", PREFIXED, "User:*", "*", READ, DENY);
        Authorizer authorizer = authorizer();
        assertThat(authorizer.authorize(ALICE, HOST, READ, TOPIC, "secret-plans")).isFalse();
        assertThat(authorizer.authorize(ALICE, HOST, WRITE, TOPIC, "secret-plans")).isTrue();
        assertThat(authorizer.authorize(ALICE, HOST, READ, TOPIC, "public")).isTrue();
    }

    @Test
    void shouldImplyDescribeFromAllowsOnly() {
        add(TOPIC, "t", LITERAL, ALICE, "*", WRITE, ALLOW);
        add(TOPIC, "c", LITERAL, ALICE, "*", ALTER_CONFIGS, ALLOW);
        add(TOPIC, "d", LITERAL, ALICE, "*", READ, DENY);
        add(TOPIC, "d", LITERAL, ALICE, "*", DESCRIBE, ALLOW);
        Authorizer authorizer = authorizer();
        assertThat(authorizer.authorize(ALICE, HOST, DESCRIBE, TOPIC, "t")).isTrue();
        assertThat(authorizer.authorize(ALICE, HOST, DESCRIBE_CONFIGS, TOPIC, "t")).isFalse();
        assertThat(authorizer.authorize(ALICE, HOST, DESCRIBE_CONFIGS, TOPIC, "c")).isTrue();
        assertThat(authorizer.authorize(ALICE, HOST, DESCRIBE, TOPIC, "c")).isFalse();
        assertThat(authorizer.authorize(ALICE, HOST, DESCRIBE, TOPIC, "d")).isTrue();
        assertThat(authorizer.authorize(ALICE, HOST, READ, TOPIC, "d")).isFalse();
    }

    @Test
    void shouldMatchPrincipalWildcardHostsAndCidrRanges() {
        add(TOPIC, "a", LITERAL, "User:*", "10.1.2.3", READ, ALLOW);
        add(TOPIC, "b", LITERAL, ALICE, "10.0.0.0/8", READ, ALLOW);
        add(TOPIC, "c", LITERAL, ALICE, "192.168.0.0/16", READ, ALLOW);
        Authorizer authorizer = authorizer();
        assertThat(authorizer.authorize("User:bob", HOST, READ, TOPIC, "a")).isTrue();
        assertThat(authorizer.authorize("User:bob", "10.1.2.4", READ, TOPIC, "a")).isFalse();
        assertThat(authorizer.authorize(ALICE, HOST, READ, TOPIC, "b")).isTrue();
        assertThat(authorizer.authorize(ALICE, HOST, READ, TOPIC, "c")).isFalse();
    }

    @Test
    void shouldAuthorizeByResourceTypeAsKafkaDoes() {
        Authorizer authorizer = authorizer();
        assertThat(authorizer.authorizeByResourceType(ALICE, HOST, WRITE, TOPIC)).isFalse();
        add(TOPIC, "app-", PREFIXED, ALICE, "*", WRITE, ALLOW);
        assertThat(authorizer.authorizeByResourceType(ALICE, HOST, WRITE, TOPIC)).isTrue();
        add(TOPIC, "app", PREFIXED, ALICE, "*", WRITE, DENY);
        assertThat(authorizer.authorizeByResourceType(ALICE, HOST, WRITE, TOPIC)).isFalse();
        add(TOPIC, "x", LITERAL, ALICE, "*", ALL, ALLOW);
        assertThat(authorizer.authorizeByResourceType(ALICE, HOST, WRITE, TOPIC)).isTrue();
        add(TOPIC, "*", LITERAL, ALICE, "*", WRITE, DENY);
        assertThat(authorizer.authorizeByResourceType(ALICE, HOST, WRITE, TOPIC)).isFalse();
        assertThat(authorizer("super.users", ALICE).authorizeByResourceType(ALICE, HOST, WRITE, TOPIC)).isTrue();
    }

    @Test
    void shouldReportAuthorizedOperationsAsBits() {
        add(TOPIC, "t", LITERAL, ALICE, "*", READ, ALLOW);
        int bits = authorizer().authorizedOperations(ALICE, HOST, TOPIC, "t",
                java.util.EnumSet.of(READ, WRITE, DESCRIBE));
        assertThat(bits).isEqualTo((1 << READ.code()) | (1 << DESCRIBE.code()));
    }
}
