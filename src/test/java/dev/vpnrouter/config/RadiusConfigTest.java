package dev.vpnrouter.config;

import dev.vpnrouter.common.Ipv4;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RADIUS as IOS configures it: servers, groups, timeout/retransmit/deadtime and the source interface read and
 * written back; groups resolved ({@code group radius} is every server, a named group its members) with what cannot
 * be asked reported where it is; and login lists that name what vpnrouter cannot serve refused at load.
 */
class RadiusConfigTest {
    private static final String CONFIG = """
            interface FastEthernet0/1
             ip address 10.1.1.1 255.255.255.0
            aaa new-model
            aaa authentication login vtys group CORP local
            radius-server host 192.0.2.20 auth-port 1812 acct-port 1813 key legacy
            radius server R1
             address ipv4 192.0.2.10 auth-port 1812 acct-port 1813
             key s3cret
            radius server NOKEY
             address ipv4 192.0.2.11
            radius-server timeout 2
            radius-server retransmit 1
            radius-server deadtime 10
            ip radius source-interface FastEthernet0/1
            aaa group server radius CORP
             server name R1
             server 192.0.2.20
             server name GHOST
            username admin privilege 15 password 0 adminpw
            """;

    @Test
    void serversGroupsAndTimersAreReadResolvedAndWrittenBack() {
        ParseResult r = ConfigLoader.load(CONFIG);
        assertThat(r.errors()).isEmpty();
        String written = ConfigWriter.write(r.config());
        assertThat(written).contains("radius-server timeout 2\n", "radius-server retransmit 1\n",
                "radius-server deadtime 10\n", "ip radius source-interface FastEthernet0/1\n",
                "aaa group server radius CORP\n server name R1\n server 192.0.2.20\n server name GHOST\n");
        assertThat(ConfigWriter.write(ConfigLoader.load(written).config())).isEqualTo(written);

        RadiusGroups g = RadiusGroups.of(r.config());
        assertThat(g.group("radius").orElseThrow().servers()).extracting(RadiusGroups.Server::name)
                .containsExactly("192.0.2.20", "R1");
        assertThat(g.group("CORP").orElseThrow().servers()).extracting(RadiusGroups.Server::name)
                .containsExactly("R1", "192.0.2.20");
        assertThat(g.timeoutMillis()).isEqualTo(2_000);
        assertThat(g.retransmits()).isEqualTo(1);
        assertThat(g.deadtimeMillis()).isEqualTo(600_000);
        assertThat(g.sourceAddress()).isEqualTo(Ipv4.parse("10.1.1.1"));
        assertThat(r.warnings()).extracting(d -> d.line() + ": " + d.message()).contains(
                "9: RADIUS server NOKEY has no key, and there is no radius-server key: it is never asked",
                "15: aaa group server radius CORP: server name GHOST names no usable RADIUS server");
    }

    @Test
    void whatALoginListCannotAskIsALoadError() {
        ParseResult r = ConfigLoader.load("""
                aaa new-model
                aaa authentication login a group NOSUCH local
                aaa authentication login b group tacacs+ local
                aaa authentication login c if-authenticated
                aaa authentication login userauthen group radius local
                aaa authentication login d group radius local
                radius server R1
                 address ipv4 192.0.2.10
                 key k
                crypto isakmp profile VPNclient
                 match identity group vpngroup
                 client authentication list userauthen
                crypto isakmp client configuration group vpngroup
                 key k
                """);
        assertThat(r.errors()).extracting(d -> d.line() + ": " + d.message()).containsExactly(
                "2: aaa authentication login a: 'group NOSUCH' names no RADIUS group (no aaa group server radius "
                        + "NOSUCH; TACACS+ is not served): it fails every login, and the methods after it are not "
                        + "tried",
                "3: aaa authentication login b: 'group tacacs+' names no RADIUS group (no aaa group server radius "
                        + "tacacs+; TACACS+ is not served): it fails every login, and the methods after it are not "
                        + "tried",
                "4: aaa authentication login c: vpnrouter cannot serve method 'if-authenticated': it fails every "
                        + "login, and the methods after it are not tried");
    }

    /** Issue 15: a profile's group may live on the AAA servers its isakmp authorization list asks, and only then. */
    @Test
    void aGroupOnlyTheServersHoldNeedsAnAuthorizationListThatAsksThem() {
        String config = """
                aaa new-model
                aaa authorization network groupauthor group radius
                aaa authorization network localauthor local
                radius server FR
                 address ipv4 192.0.2.10 auth-port 1812 acct-port 1813
                 key s3cret
                crypto isakmp profile VPNclient
                 match identity group testgroup
                 isakmp authorization list groupauthor
                crypto isakmp profile Other
                 match identity group othergroup
                 isakmp authorization list localauthor
                """;
        ParseResult r = ConfigLoader.load(config);
        assertThat(r.errors()).singleElement().satisfies(d -> assertThat(d.message())
                .contains("match identity group othergroup: no crypto isakmp client configuration group"));
    }

    /** Issue 15: network accounting is acted on: lists, the Interim period and a profile's list, written back. */
    @Test
    void accountingListsAndThePeriodAreActedOnAndWrittenBack() {
        String config = """
                aaa new-model
                aaa accounting network acct start-stop group radius
                aaa accounting update periodic 5
                radius server FR
                 address ipv4 192.0.2.10 auth-port 1812 acct-port 1813
                 key s3cret
                crypto isakmp client configuration group testgroup
                 key cisco
                crypto isakmp profile VPNclient
                 match identity group testgroup
                 client accounting list acct
                crypto isakmp profile Other
                 match identity group testgroup
                 client accounting list nolist
                """;
        ParseResult r = ConfigLoader.load(config);
        assertThat(r.notes()).extracting(Diagnostic::message).noneMatch(m -> m.contains("accounting"));
        assertThat(r.errors()).singleElement().satisfies(d -> assertThat(d.message())
                .contains("AAA list \"nolist\" is not defined: add 'aaa accounting network nolist start-stop"));
        assertThat(r.config().aaa().accountingPeriodicMinutes()).isEqualTo(5);
        assertThat(r.config().aaa().accountingNetwork()).singleElement().satisfies(l -> assertThat(l.name())
                .isEqualTo("acct"));
        String written = ConfigWriter.write(r.config());
        assertThat(written).contains("aaa accounting network acct start-stop group radius\n",
                "aaa accounting update periodic 5\n", " client accounting list acct\n");
        assertThat(ConfigWriter.write(ConfigLoader.load(written).config())).isEqualTo(written);

        // IOS's common form acts too: the period from 'newinfo periodic N', written back as given.
        ParseResult newinfo = ConfigLoader.load(config.replace("aaa accounting update periodic 5",
                "aaa accounting update newinfo periodic 7"));
        assertThat(newinfo.config().aaa().accountingPeriodicMinutes()).isEqualTo(7);
        assertThat(newinfo.config().aaa().accountingNewinfo()).isTrue();
        assertThat(newinfo.notes()).extracting(Diagnostic::message).noneMatch(m -> m.contains("accounting"));
        String writtenNewinfo = ConfigWriter.write(newinfo.config());
        assertThat(writtenNewinfo).contains("aaa accounting update newinfo periodic 7\n");
        assertThat(ConfigWriter.write(ConfigLoader.load(writtenNewinfo).config())).isEqualTo(writtenNewinfo);
    }
}
