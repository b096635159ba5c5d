package dev.walrus.kafka.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Kafka's {@code ssl.principal.mapping.rules} (KIP-371), with the KIP's own examples. */
class SslPrincipalMappingTest {

    private static final String KIP_RULES = "RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/,"
            + " RULE:^CN=(.*?),OU=(.*?),O=(.*?),L=(.*?),ST=(.*?),C=(.*?)$/$1@$2/L,"
            + "RULE:^.*[Cc][Nn]=([a-zA-Z0-9.]*).*$/$1/L, DEFAULT";

    @Test
    void shouldApplyTheFirstRuleThatMatchesTheWholeName() {
        SslPrincipalMapping mapping = SslPrincipalMapping.parse(KIP_RULES);
        assertThat(mapping.nameOf("CN=kafka-server1,OU=ServiceUsers,O=Org,L=City,ST=State,C=US")).hasValue("kafka-server1");
        assertThat(mapping.nameOf("CN=Duke,OU=JavaSoft,O=Sun Microsystems,L=Cupertino,ST=CA,C=US")).hasValue("duke@javasoft");
        assertThat(mapping.nameOf("OU=Kafka,CN=Admin.Tool,O=Org")).hasValue("admin.tool");
        assertThat(mapping.nameOf("OU=JavaSoft,O=Sun")).as("DEFAULT").hasValue("OU=JavaSoft,O=Sun");
    }

    @Test
    void shouldUpperCaseKeepMissingGroupsAsTextAndFindNoNameWithoutADefault() {
        assertThat(SslPrincipalMapping.parse("RULE:^CN=(.*)$/$1/U").nameOf("CN=client")).hasValue("CLIENT");
        assertThat(SslPrincipalMapping.parse("RULE:^CN=(.*?),OU=(.*)$/$2-$1-$4/").nameOf("CN=a,OU=b")).hasValue("b-a-$4");
        assertThat(SslPrincipalMapping.parse("RULE:^CN=(.*?),OU=ops$/$1/").nameOf("CN=a,OU=dev")).isEmpty();
        assertThat(SslPrincipalMapping.parse("RULE:^CN=([^,]*)(,.*)?$/user\\/$1/").nameOf("CN=x,O=y")).hasValue("user/x");
        assertThat(SslPrincipalMapping.DEFAULT.nameOf("CN=walrus-client")).hasValue("CN=walrus-client");
    }

    @Test
    void shouldRefuseRulesKafkaCannotReadWithItsMessage() {
        assertThatThrownBy(() -> SslPrincipalMapping.parse("DEFAULT, foo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid rule: `foo`, unmatched substring: `foo`");
        assertThatThrownBy(() -> SslPrincipalMapping.parse("RULE:^CN=(.*)$/$1/Lxyz,DEFAULT"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid rule: `RULE:^CN=(.*)$/$1/Lxyz`, unmatched substring: `xyz`");
        assertThatThrownBy(() -> SslPrincipalMapping.parse("RULE:^CN=(.*)$/$1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Invalid rule: ");
    }
}
