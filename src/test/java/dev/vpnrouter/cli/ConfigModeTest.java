package dev.vpnrouter.cli;

import dev.vpnrouter.cli.remote.VtyLogin;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code configure terminal} and {@code write memory} on the seed hub with its spoke and client up. */
class ConfigModeTest {
    private final SeedExecLab lab = new SeedExecLab().up();

    private ExecSession enabled() {
        ExecSession s = lab.hubExec.openConsole("console", lab.now());
        s.execute("enable", lab.now());
        return s;
    }

    @Test
    void linesApplyAtOnceAndThePromptFollowsTheBlock() {
        ExecSession s = enabled();
        assertThat(s.execute("conf t", lab.now())).isEqualTo(
                "Enter configuration commands, one per line.  End with CNTL/Z.\n");
        assertThat(s.prompt()).isEqualTo("Hub(config)#");
        assertThat(s.execute("crypto keyring spokes", lab.now())).isEmpty();
        assertThat(s.prompt()).isEqualTo("Hub(conf-keyring)#");
        s.execute(" pre-shared-key address 10.100.9.9 255.255.255.255 key other", lab.now());
        s.execute("exit", lab.now());
        assertThat(s.prompt()).isEqualTo("Hub(config)#");
        s.execute("username bob privilege 15 password 0 pw", lab.now());
        s.execute("cry isa prof L2L", lab.now()); // abbreviated opener
        assertThat(s.prompt()).isEqualTo("Hub(conf-isa-prof)#");
        s.execute("username carol password 0 x", lab.now()); // a global command leaves the block
        assertThat(s.prompt()).isEqualTo("Hub(config)#");
        assertThat(s.execute("do show crypto isakmp sa | count QM_IDLE", lab.now())).isEqualTo(
                "Number of lines which match regexp = 2\n");
        s.execute("end", lab.now());
        assertThat(s.prompt()).isEqualTo("Hub#");

        String running = s.execute("show running-config", lab.now());
        assertThat(running).contains("crypto keyring spokes\n pre-shared-key address 0.0.0.0 0.0.0.0 key cisco123\n"
                + " pre-shared-key address 10.100.9.9 255.255.255.255 key other\n");
        // service password-encryption: the new users' passwords are stored as type 7, as IOS does.
        assertThat(running).contains("username bob privilege 15 password 7 ", "username carol password 7 ");
        // The new user can log in on a vty at once; the SAs that were up still are.
        assertThat(VtyLogin.check(lab.hubView.config(), "bob", "pw")).contains(new VtyLogin.Granted("bob", 15));
        assertThat(lab.hub.children()).hasSize(2);
        assertThat(lab.hub.engine().policy().presharedKeyFor(dev.vpnrouter.common.Ipv4.parse("10.100.9.9"))
                .key()).isEqualTo("other".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void aPastedBlockOfAFeatureWeDoNotImplementKeepsItsLines() {
        ExecSession s = enabled();
        s.execute("configure terminal", lab.now());
        assertThat(s.execute("router ospf 1", lab.now())).isEmpty();
        assertThat(s.prompt()).isEqualTo("Hub(config-router)#");
        // Pasted lines arrive indented or not; either way they are the block's.
        assertThat(s.execute(" network 10.1.1.0 0.0.0.255 area 0", lab.now())).isEmpty();
        assertThat(s.execute("passive-interface default", lab.now())).isEmpty();
        assertThat(s.prompt()).isEqualTo("Hub(config-router)#");
        // A global command leaves the block, as on IOS.
        s.execute("username dave password 0 x", lab.now());
        assertThat(s.prompt()).isEqualTo("Hub(config)#");
        // And outside the block, the same line is no command.
        assertThat(s.execute("passive-interface default", lab.now())).contains("% Invalid input");
        s.execute("end", lab.now());
        assertThat(s.execute("show running-config", lab.now())).contains(
                "router ospf 1\n network 10.1.1.0 0.0.0.255 area 0\n passive-interface default\n");
        assertThat(lab.hub.children()).hasSize(2);
    }

    @Test
    void aOneLineFeatureLeavesThePromptAndNoRemovesABlock() {
        ExecSession s = enabled();
        s.execute("configure terminal", lab.now());
        s.execute("ip dhcp excluded-address 10.1.1.1 10.1.1.9", lab.now());
        assertThat(s.prompt()).isEqualTo("Hub(config)#");
        assertThat(s.execute("hostnme R2", lab.now())).contains("% Invalid input");
        s.execute("route-map NH permit 10", lab.now());
        assertThat(s.prompt()).isEqualTo("Hub(config-route-map)#");
        s.execute("set ip next-hop 10.1.1.254", lab.now());
        s.execute("exit", lab.now());
        s.execute("no route-map NH permit 10", lab.now());
        s.execute("end", lab.now());
        String running = s.execute("show running-config", lab.now());
        assertThat(running).contains("ip dhcp excluded-address 10.1.1.1 10.1.1.9\n").doesNotContain("route-map");
    }

    @Test
    void noTakesBackAOneLineFeature() {
        ExecSession s = enabled();
        s.execute("configure terminal", lab.now());
        s.execute("ipv6 route 2001:db8::/32 Null0", lab.now());
        s.execute("ipv6 router ospf 1", lab.now());
        assertThat(s.prompt()).isEqualTo("Hub(config-rtr)#");
        s.execute("exit", lab.now());
        // "route" is that command's own word, not an abbreviation of "router".
        assertThat(s.execute("no ipv6 route 2001:db8::/32 Null0", lab.now())).isEmpty();
        s.execute("end", lab.now());
        String running = s.execute("show running-config", lab.now());
        assertThat(running).contains("ipv6 router ospf 1\n").doesNotContain("ipv6 route 2001");
    }

    @Test
    void aLineThatDoesNotParseIsRejectedWithTheCaret() {
        ExecSession s = enabled();
        s.execute("configure terminal", lab.now());
        // "Hub(config)#" is 12 wide; the caret goes where the parser stopped.
        String out = s.execute("crypto isakmp polixy 5", lab.now());
        assertThat(out).endsWith("^\n% Invalid input detected at '^' marker.\n");
        assertThat(out.indexOf('^')).isGreaterThanOrEqualTo(12 + "crypto isakmp ".length());
        assertThat(s.prompt()).isEqualTo("Hub(config)#");
        s.execute("end", lab.now());
        assertThat(s.execute("show running-config", lab.now())).doesNotContain("polixy");
        assertThat(s.help("")).contains("enable", "configure");
    }

    @Test
    void writeMemorySavesTheRunningConfiguration() {
        ExecSession s = enabled();
        assertThat(s.execute("write memory", lab.now())).isEqualTo(
                "% This router has no configuration file to write to\n");
        List<String> saved = new ArrayList<>();
        lab.hubView.configStore(text -> {
            saved.add(text);
            return "hub.cfg";
        });
        s.execute("configure terminal", lab.now());
        s.execute("ip local pool ippool 10.5.6.1 10.5.6.10", lab.now());
        s.execute("end", lab.now());
        assertThat(s.execute("write memory", lab.now())).isEqualTo("Building configuration...\n[OK] (hub.cfg)\n");
        assertThat(saved).hasSize(1);
        assertThat(saved.getFirst()).contains("ip local pool ippool 10.5.6.1 10.5.6.10").endsWith("end\n");
        // A second line for one pool adds a range, as on IOS.
        assertThat(s.execute("show ip local pool", lab.now())).contains(
                "\n                          10.5.6.1        10.5.6.10         10       0\n");
    }

    @Test
    void userExecCannotConfigure() {
        ExecSession s = lab.hubExec.openVty(null, 1, "10.1.1.5", lab.now());
        assertThat(s.execute("configure terminal", lab.now())).contains("% Invalid input");
    }
}
