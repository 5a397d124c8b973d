package dev.vpnrouter.cli;

import dev.vpnrouter.syslog.Timestamps;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The exec session as a user meets it: abbreviations, errors with the caret, help, completion, pipes, enable. */
class ExecSessionTest {
    private final SeedExecLab lab = new SeedExecLab().up();

    private ExecSession console() {
        ExecSession s = lab.hubExec.openConsole("console", lab.now());
        s.execute("enable", lab.now());
        return s;
    }

    private String run(ExecSession s, String line) {
        return s.execute(line, lab.now());
    }

    /** Issue 16: a host runs the command on the router's loop and its | filter afterwards, off the loop. */
    @Test
    void theFilterCanBeLeftToTheCaller() {
        ExecSession s = console();
        ExecSession.Output deferred = s.execute("show version | include uptime", 0, s.prompt().length(), true);
        assertThat(deferred.text()).contains("uptime").doesNotContain("Cisco IOS");
        assertThat(deferred.text()).isEqualTo(run(s, "show version | include uptime"));
    }

    /**
     * Issue 16: a show reads the router only while the command runs on the engine's thread (a copy); formatting
     * and filtering, where the output is read, touch nothing of the router, so they can run on any thread.
     */
    @Test
    void aShowReadsTheRouterOnlyOnTheEnginesThread() {
        boolean[] open = {true};
        RouterView live = lab.hubView;
        RouterView guarded = (RouterView) java.lang.reflect.Proxy.newProxyInstance(RouterView.class.getClassLoader(),
                new Class<?>[] {RouterView.class}, (proxy, method, args) -> {
                    if (!open[0]) {
                        throw new IllegalStateException("the router was read off the engine's thread: "
                                + method.getName());
                    }
                    return method.isDefault() ? java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args)
                            : method.invoke(live, args);
                });
        ExecSession s = new ExecHub(guarded, lab.hubView).openConsole("console", lab.now());
        List<ExecSession.Output> outputs = new ArrayList<>();
        for (String show : List.of("show crypto isakmp sa", "show crypto ipsec sa", "show crypto session detail",
                "show ip local pool", "show version", "show users", "show ip interface brief")) {
            outputs.add(s.execute(show, lab.now(), s.prompt().length(), true));
        }
        open[0] = false;
        assertThat(outputs.get(0).text()).contains("QM_IDLE");
        assertThat(outputs.get(1).text()).contains("#pkts encaps");
        assertThat(outputs.get(2).text()).contains("Crypto session current status");
        assertThat(outputs.get(3).text()).contains("ippool");
        assertThat(outputs.get(4).text()).contains("uptime");
        assertThat(outputs.get(5).text()).contains("con 0");
        assertThat(outputs.get(6).text()).contains("Interface");
    }

    /** Issue 16: one expression must not hold the router's loop; its work is bounded and the command says so. */
    @Test
    void aCatastrophicFilterTimesOutAndOrdinaryOnesStillWork() {
        ExecSession s = console();
        assertThat(run(s, "show version | include .*.*.*.*.*.*.*.*.*.*Z")).isEqualTo("% Filter timed out\n");
        assertThat(run(s, "show version | include uptime")).contains("uptime").doesNotContain("timed out");
        assertThat(run(s, "show version | count .")).startsWith("Number of lines which match regexp = ");
    }

    @Test
    void abbreviationsRunTheSameCommand() {
        ExecSession s = console();
        assertThat(run(s, "sh cry isa sa")).isEqualTo(run(s, "show crypto isakmp sa"));
        assertThat(run(s, "sh cry ipsec sa")).isEqualTo(run(s, "show crypto ipsec sa"));
        assertThat(run(s, "sh cry sess")).isEqualTo(run(s, "show crypto session"));
        assertThat(run(s, "SH IP INT BR")).isEqualTo(run(s, "show ip interface brief"));
    }

    @Test
    void invalidInputPutsTheCaretUnderTheFirstBadCharacter() {
        ExecSession s = console();
        // "Hub#" is 4 wide; "show crypto isakmp sx": the caret under the x (column 4 + 20).
        assertThat(run(s, "show crypto isakmp sx")).isEqualTo(" ".repeat(4 + 20) + "^\n"
                + "% Invalid input detected at '^' marker.\n");
        assertThat(run(s, "shoe")).isEqualTo(" ".repeat(4 + 3) + "^\n% Invalid input detected at '^' marker.\n");
        assertThat(run(s, "show crypto ipsec sa peer 10.1.1")).startsWith(" ".repeat(4 + 26) + "^\n");
    }

    @Test
    void ambiguousAndIncompleteCommandsSaySo() {
        ExecSession s = console();
        assertThat(run(s, "sh cry i sa")).isEqualTo("% Ambiguous command:  \"sh cry i sa\"\n");
        assertThat(run(s, "show crypto")).isEqualTo("% Incomplete command.\n");
        assertThat(run(s, "")).isEmpty();
    }

    @Test
    void questionMarkListsWhatMayFollow() {
        ExecSession s = console();
        String help = s.help("show crypto isakmp sa ");
        assertThat(help).isEqualTo("""
                  detail  Show ISAKMP SA Detail
                  |       Output modifiers
                  <cr>

                """);
        assertThat(s.help("show crypto ")).contains("  isakmp", "Show ISAKMP", "  ipsec", "  session", "  map");
        assertThat(s.help("sh cry i")).isEqualTo("ipsec  isakmp  \n\n");
        assertThat(s.help("show crypto ipsec sa peer ")).contains("A.B.C.D  IP address of a peer");
        assertThat(s.help("show crypto isakmp sa | ")).contains("include", "exclude", "begin", "section");
        assertThat(s.help("show crypto foo ")).contains("^\n% Invalid input");
    }

    @Test
    void tabCompletesAUniqueWordOnly() {
        ExecSession s = console();
        assertThat(s.complete("sh")).isEqualTo("show ");
        assertThat(s.complete("show cry")).isEqualTo("show crypto ");
        assertThat(s.complete("show crypto i")).isEqualTo("show crypto i"); // ipsec or isakmp
        assertThat(s.complete("show crypto isa")).isEqualTo("show crypto isakmp ");
        assertThat(s.complete("show crypto isakmp sa | inc")).isEqualTo("show crypto isakmp sa | include ");
    }

    @Test
    void pipesFilterTheOutput() {
        ExecSession s = console();
        assertThat(run(s, "show crypto ipsec sa | include current_peer")).isEqualTo("""
                   current_peer: 10.100.2.102:500
                   current_peer: 10.51.82.100:500
                """);
        assertThat(run(s, "sh cry ipsec sa | i spi")).contains("current outbound spi").doesNotContain("transform");
        assertThat(run(s, "show crypto isakmp sa | exclude QM_IDLE")).isEqualTo(
                "dst             src             state         conn-id slot\n");
        assertThat(run(s, "show running-config | begin crypto map")).startsWith("crypto map mymap 10");
        assertThat(run(s, "show running-config | section crypto isakmp profile")).startsWith(
                "crypto isakmp profile L2L\n description").contains("crypto isakmp profile VPNclient")
                .doesNotContain("crypto keyring");
        assertThat(run(s, "show crypto isakmp sa | count QM_IDLE")).isEqualTo(
                "Number of lines which match regexp = 2\n");
        assertThat(run(s, "show ip interface brief | include _10.1.1.1_")).startsWith("FastEthernet0/1");
        assertThat(run(s, "clear crypto sa | include x")).contains("^\n% Invalid input");
        assertThat(run(s, "show version | include (")).startsWith("% Invalid regular expression");
    }

    @Test
    void userExecHasNoPrivilegedCommandsUntilEnable() {
        RouterConfig withSecret = ConfigLoader.load("hostname R\nenable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0\n")
                .config();
        EngineRouter view = new EngineRouter(withSecret, lab.hub.engine(), lab.hub.dataPlane(), lab.hub::run, 0);
        ExecHub exec = new ExecHub(view, view);
        ExecSession s = exec.openVty(null, 1, "10.1.1.5", lab.now());
        assertThat(s.prompt()).isEqualTo("R>");
        assertThat(run(s, "clear crypto sa")).contains("^\n% Invalid input");
        assertThat(run(s, "show running-config")).contains("% Invalid input");
        assertThat(run(s, "show crypto isakmp sa")).contains("QM_IDLE"); // show works at level 1
        run(s, "enable");
        assertThat(s.awaitingPassword()).isTrue();
        assertThat(s.prompt()).isEqualTo("Password: ");
        run(s, "wrong");
        run(s, "wrong again");
        assertThat(run(s, "still wrong")).isEqualTo("% Bad secrets\n\n");
        assertThat(s.prompt()).isEqualTo("R>");
        run(s, "enable");
        run(s, "cisco");
        assertThat(s.prompt()).isEqualTo("R#");
        assertThat(run(s, "show privilege")).isEqualTo("Current privilege level is 15\n");
        run(s, "disable");
        assertThat(s.prompt()).isEqualTo("R>");
    }

    @Test
    void vtyWithoutEnablePasswordCannotEnable() {
        ExecSession s = lab.hubExec.openVty(null, 1, "10.1.1.5", lab.now());
        assertThat(run(s, "enable")).isEqualTo("% No password set\n");
        assertThat(s.prompt()).isEqualTo("Hub>");
    }

    @Test
    void debugLinesReachMonitoringSessionsWithTheConfiguredTimestamps() {
        ExecSession s = console();
        ExecSession vty = lab.hubExec.openVty("admin", 15, "10.1.1.5", lab.now());
        List<String> consoleLines = new ArrayList<>();
        List<String> vtyLines = new ArrayList<>();
        s.onMonitor(consoleLines::add);
        vty.onMonitor(vtyLines::add);
        assertThat(run(s, "debug crypto isakmp")).isEqualTo("Crypto ISAKMP debugging is on\n");
        assertThat(run(s, "show debugging")).isEqualTo("""
                Cryptographic Subsystem:
                  Crypto ISAKMP debugging is on

                """);
        assertThat(lab.hub.engine().debug()).isTrue();
        run(s, "clear crypto session");
        lab.runFor(1_000);
        lab.spokeHost.ping(lab.hubHost.address()); // the spoke comes back on traffic
        lab.runFor(5_000);
        // The hub's config says "service timestamps debug datetime msec": "Nov 12 08:26:40.123: ISAKMP ...", and
        // "service timestamps log datetime msec" for its messages: "*Nov 12 08:26:40.123: %CRYPTO-...".
        assertThat(consoleLines).isNotEmpty().allMatch(l -> l.matches(
                "(\\*[A-Z][a-z]{2} [ 0-9]\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}: %.*)"
                        + "|([A-Z][a-z]{2} [ 0-9]\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}: [^%*].*)"));
        assertThat(consoleLines).anyMatch(l -> l.contains("Old State = IKE_R_MM1 New State = IKE_R_MM2"));
        assertThat(consoleLines).noneMatch(l -> l.contains("IPSEC(")); // ipsec debugging is off
        assertThat(vtyLines).isEmpty(); // no terminal monitor on the vty
        run(vty, "terminal monitor");
        run(s, "debug crypto ipsec");
        run(s, "clear crypto sa peer " + dev.vpnrouter.common.Ipv4.format(SeedExecLab.SPOKE));
        assertThat(vtyLines).anyMatch(l -> l.contains("IPSEC(delete_sa)"));
        assertThat(run(s, "undebug all")).isEqualTo("All possible debugging has been turned off\n");
        assertThat(lab.hubExec.debugging()).isEmpty();
        assertThat(lab.hub.engine().debug()).isFalse();
        assertThat(run(s, "show debugging")).isEmpty();
    }

    @Test
    void clearCommandsGoToTheEngine() {
        ExecSession s = console();
        assertThat(lab.hub.children()).hasSize(2);
        assertThat(run(s, "clear crypto isakmp 9999")).isEqualTo("% No ISAKMP SA with conn-id 9999\n");
        run(s, "clear crypto sa peer 10.100.2.102");
        assertThat(lab.hub.children()).hasSize(1);
        int clientConn = lab.hub.engine().ikeSas().stream().filter(sa -> sa.peerAddress() == SeedExecLab.CLIENT)
                .findFirst().orElseThrow().connId();
        run(s, "clear crypto isakmp " + clientConn);
        assertThat(run(s, "show ip local pool")).contains(" 254       0");
        run(s, "clear crypto session");
        assertThat(run(s, "show crypto isakmp sa")).isEqualTo(
                "dst             src             state         conn-id slot\n");
    }

    @Test
    void showUsersListsTheSessions() {
        ExecSession s = console();
        ExecSession vty = lab.hubExec.openVty("admin", 15, "10.1.1.5", lab.now());
        lab.runFor(65_000);
        assertThat(run(s, "show users")).isEqualTo("""
                    Line       User       Host(s)              Idle       Location
                *  0 con 0                idle                 00:00:00   console
                   2 vty 0     admin      idle                 00:01:05   10.1.1.5

                  Interface    User               Mode         Idle     Peer Address
                """);
        run(vty, "exit");
        assertThat(vty.closed()).isTrue();
        assertThat(lab.hubExec.sessions()).containsExactly(s);
    }

    /** A vty's user name is whatever the SSH client sent (any name goes with a line password): shown escaped. */
    @Test
    void showUsersEscapesAUserNameWithEscAndNewline() {
        ExecSession s = console();
        lab.hubExec.openVty("ad\u001b[2J\nmin", 1, "10.1.1.5", lab.now());
        assertThat(run(s, "show users")).contains("   2 vty 0     ad\\x1b[2J\\x0amin idle").doesNotContain("\u001b");
    }

    @Test
    void aFailingCommandReportsAndKeepsTheSession() {
        RouterView broken = new RouterView() {
            @Override
            public RouterConfig config() {
                return lab.hubConfig;
            }

            @Override
            public java.util.Collection<? extends dev.vpnrouter.ike.IkeSaView> ikeSas() {
                throw new IllegalStateException("engine gone");
            }

            @Override
            public List<dev.vpnrouter.ike.ChildSa> childSas() {
                return List.of();
            }

            @Override
            public dev.vpnrouter.dataplane.SaStatus saStatus(long childId) {
                return null;
            }

            @Override
            public dev.vpnrouter.ike.AddressPool addressPool(String name) {
                return null;
            }

            @Override
            public List<InterfaceStatus> interfaces() {
                return List.of();
            }

            @Override
            public long startedAtMillis() {
                return 0;
            }
        };
        ExecSession s = new ExecHub(broken, lab.hubView).openConsole("console", lab.now());
        assertThat(run(s, "show crypto isakmp sa")).startsWith("% Internal error: java.lang.IllegalStateException");
        assertThat(s.closed()).isFalse();
        // A show copies the whole view first, so with this engine every show reports; the session goes on.
        assertThat(run(s, "show crypto ipsec sa")).startsWith("% Internal error: java.lang.IllegalStateException");
        assertThat(run(s, "terminal length 0")).isEmpty();
        assertThat(s.closed()).isFalse();
    }

    @Test
    void timestampsFollowTheServiceCommand() {
        RouterConfig c = ConfigLoader.load("service timestamps debug datetime msec\n").config();
        assertThat(Timestamps.of(c, "debug").prefix(1_795_000_000_123L, 0)).isEqualTo("Nov 18 11:06:40.123: ");
        RouterConfig full = ConfigLoader.load("service timestamps debug datetime msec year show-timezone\n").config();
        // 2026-03-01 00:00:00.007 UTC: a one-digit day is padded with a space, hours and milliseconds with zeros.
        assertThat(Timestamps.of(full, "debug").prefix(1_772_323_200_007L, 0)).isEqualTo("Mar  1 2026 00:00:00.007 UTC: ");
        RouterConfig seconds = ConfigLoader.load("service timestamps debug datetime\n").config();
        assertThat(Timestamps.of(seconds, "debug").prefix(1_795_000_000_123L, 0)).isEqualTo("Nov 18 11:06:40: ");
        RouterConfig up = ConfigLoader.load("service timestamps debug uptime\n").config();
        assertThat(Timestamps.of(up, "debug").prefix(0, 90_061_000L)).isEqualTo("1d01h: ");
        assertThat(Timestamps.of(up, "debug").prefix(0, 3_723_000L)).isEqualTo("01:02:03: ");
        RouterConfig none = ConfigLoader.load("no service timestamps debug\n").config();
        assertThat(Timestamps.of(none, "debug").prefix(0, 5_000)).isEmpty();
        assertThat(DebugCategory.values()).hasSize(3);
    }
}
