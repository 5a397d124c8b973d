package dev.vpnrouter.interop;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.net.RawEspSocket;
import dev.vpnrouter.router.LinuxDataPlane;
import dev.vpnrouter.router.RouterLogging;
import dev.vpnrouter.router.RouterRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17: our hub's messages reach a real rsyslogd as IOS sends them. The seed's hub.cfg with {@code logging
 * host 10.1.1.10 transport udp port 5514} and {@code logging source-interface FastEthernet0/1} instead of
 * {@code no logging on}; rsyslogd listens on the hub's LAN host. Our seed spoke brings the tunnel up (SESSION_STATUS
 * UP), a captured ESP packet is sent again (PKT_REPLAY_ERR), a strongSwan with the wrong pre-shared key is refused
 * (IKMP_MODE_FAILURE, IKMP_REFUSED), the spoke stops (SESSION_STATUS DOWN). A flood of 500 more replays adds no
 * message, only to {@code show logging}'s rate-limited count. Every datagram must be RFC 3164 as
 * IOS writes it, with PRI = local7 (23) * 8 + severity, from the inside address.
 */
@Interop
class SyslogInteropTest {
    private static final int PORT = 5514;
    /** {@code <PRI>SEQ: *Mmm dd hh:mm:ss.mmm: %FAC-SEV-MNEMONIC: text}. */
    private static final Pattern IOS_3164 = Pattern.compile(
            "<(\\d{1,3})>(\\d+): \\*[A-Z][a-z]{2} [ 1-3]\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}: %([A-Z]+)-([0-7])-([A-Z_]+): .+");

    /**
     * The same ESP packet of the spoke's, sent {@code count} more times from the spoke's address: a replay flood,
     * which the hub counts per packet but says once a minute.
     */
    private static void floodWithReplays(Topology t, int count) throws Exception {
        int spokeAddress = Ipv4.parse(t.spokeOutside());
        int hubAddress = Ipv4.parse(Topology.HUB_OUTSIDE);
        try (RawEspSocket sniffer = t.hub().call(() -> RawEspSocket.open(hubAddress));
                RawEspSocket injector = t.spoke().call(() -> RawEspSocket.open(spokeAddress))) {
            t.spokeHost().assertPing(Topology.HUB_HOST, 1, Duration.ofSeconds(10));
            RawEspSocket.EspPacket captured = Await.until("an ESP packet from the spoke", Duration.ofSeconds(5),
                    () -> {
                        try {
                            return sniffer.receive(200);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }, p -> p != null && p.source() == spokeAddress);
            for (int i = 0; i < count; i++) {
                injector.send(hubAddress, captured.esp());
            }
        }
    }

    @Test
    @Timeout(150)
    void theHubsMessagesReachRsyslogAsIosSendsThem() throws Exception {
        Prerequisites.require("ip", "ping", "charon", "swanctl", "nsenter", "rsyslogd");
        Path work = Topology.workDir("syslog-" + ProcessHandle.current().pid());
        try (Topology t = Topology.builder(work).spokeDhcp(false).rogue(true).build()) {
            Rsyslog rsyslog = t.own(Rsyslog.start(t.hubHost(), work.resolve("rsyslog"), Topology.HUB_HOST, PORT));
            String hubText = EngineStrongSwanInteropTest.seed("hub.cfg").replace("no logging on",
                    "logging host " + Topology.HUB_HOST + " transport udp port " + PORT
                            + "\nlogging source-interface FastEthernet0/1");
            RouterConfig hubConfig = ConfigLoader.load(hubText).config();
            List<String> debug = new CopyOnWriteArrayList<>();
            RouterRuntime hub = t.own(EngineStrongSwanInteropTest.startOurs(t.hub(),
                    EngineStrongSwanInteropTest.policy(hubText), Topology.HUB_OUTSIDE, work.resolve("hub-keys.csv"),
                    debug));
            LinuxDataPlane hubEsp = EngineStrongSwanInteropTest.startEsp(t, t.hub(), hub, Topology.HUB_INSIDE, debug);
            RouterLogging logging = t.own(t.hub().call(() -> RouterLogging.attach(hub, hubConfig,
                    () -> hubEsp.inspect(dp -> dp.counters().messagesRateLimited()))));
            rsyslog.await("ISAKMP is ON", Duration.ofSeconds(10),
                    l -> l.contains("%CRYPTO-6-ISAKMP_ON_OFF: ISAKMP is ON"));

            RouterRuntime spoke = t.own(EngineStrongSwanInteropTest.startOurs(t.spoke(),
                    EngineStrongSwanInteropTest.policy(EngineStrongSwanInteropTest.seed("spoke.cfg")), t.spokeOutside(),
                    work.resolve("spoke-keys.csv"), debug));
            EngineStrongSwanInteropTest.startEsp(t, t.spoke(), spoke, Topology.SPOKE_INSIDE, debug);
            t.spokeHost().ping(Topology.HUB_HOST, 3, Duration.ofSeconds(5)); // the first packet brings IKE up
            EngineStrongSwanInteropTest.awaitChildren(hub, 1, Duration.ofSeconds(15), debug);
            rsyslog.await("the tunnel UP", Duration.ofSeconds(10), l -> l.contains(
                    "%CRYPTO-5-SESSION_STATUS: Crypto tunnel is UP.  Peer " + t.spokeOutside() + ":500  Id: "));

            EngineStrongSwanInteropTest.assertTamperedAndReplayedEspAreDroppedAndCounted(t, hub, hubEsp);
            rsyslog.await("the replay", Duration.ofSeconds(10), l -> l.contains(
                    "%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id="));
            // Counted from what was rate-limited before it: a spoke's first packets may meet the hub before its SA
            // (RECVD_PKT_INV_SPI, one message and the rest rate-limited), as many as the race gives.
            long before = rateLimited(hub.query(e -> logging.messages().show()));
            floodWithReplays(t, 500);
            Await.until("the flood counted as rate-limited", Duration.ofSeconds(10),
                    () -> hub.query(e -> logging.messages().show()),
                    show -> rateLimited(show) == before + 500);

            String wrongKey = SeedPeers.spoke(Topology.HUB_OUTSIDE).replace("secret = " + SeedPeers.L2L_PSK,
                    "secret = not-the-key");
            StrongSwan rogue = t.own(StrongSwan.start(t.rogue(), work.resolve("rogue"), wrongKey));
            rogue.swanctl(Duration.ofSeconds(15), "--initiate", "--child", SeedPeers.SPOKE_CHILD, "--timeout", "8");
            rsyslog.await("the wrong key refused", Duration.ofSeconds(15), l -> l.contains(
                    "%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Main mode failed with peer at "
                            + Topology.ROGUE_OUTSIDE));
            rsyslog.await("the reason", Duration.ofSeconds(5), l -> l.contains("%CRYPTO-6-IKMP_REFUSED: peer "
                    + Topology.ROGUE_OUTSIDE + ": phase 1: "));

            spoke.shutdown(); // Deletes to the hub
            rsyslog.await("the tunnel DOWN", Duration.ofSeconds(10), l -> l.contains(
                    "%CRYPTO-5-SESSION_STATUS: Crypto tunnel is DOWN.  Peer " + t.spokeOutside() + ":500  Id: "));

            List<String> received = rsyslog.lines().stream().filter(l -> !l.endsWith("|<191>probe")).toList();
            assertThat(received).as("one replay message for the replay and the flood of 500 after it")
                    .filteredOn(l -> l.contains("%CRYPTO-4-PKT_REPLAY_ERR")).hasSize(1);
            String show = hub.query(e -> logging.messages().show());
            assertThat(show).contains("        Logging to 10.1.1.10  (udp port 5514, audit disabled,\n"
                    + "              link up),\n              " + received.size() + " message lines logged,\n",
                    "        Logging Source-Interface:       VRF Name:\n        FastEthernet0/1\n",
                    ": %CRYPTO-5-SESSION_STATUS: Crypto tunnel is DOWN.  Peer " + t.spokeOutside());
            assertThat(received).hasSizeGreaterThanOrEqualTo(6);
            for (String line : received) {
                String[] f = line.split("\\|", 3);
                Matcher m = IOS_3164.matcher(f[2]);
                assertThat(m.matches()).as("RFC 3164 as IOS sends it: %s", f[2]).isTrue();
                int severity = Integer.parseInt(m.group(4));
                assertThat(Integer.parseInt(m.group(1))).as("PRI of %s", f[2]).isEqualTo(23 * 8 + severity);
                assertThat(f[0]).as("rsyslog's own reading of the PRI").isEqualTo(m.group(1));
                assertThat(f[1]).as("from logging source-interface FastEthernet0/1").isEqualTo(Topology.HUB_INSIDE);
                assertThat(severity).as("logging trap informational").isLessThanOrEqualTo(6);
            }
            List<Long> sequence = received.stream().map(l -> IOS_3164.matcher(l.split("\\|", 3)[2]))
                    .filter(Matcher::matches).map(m -> Long.parseLong(m.group(2))).toList();
            assertThat(sequence).as("message numbers").isSorted().doesNotHaveDuplicates();
        }
    }

    /** {@code show logging}'s "N messages rate-limited" on its Syslog logging line. */
    private static long rateLimited(String show) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(" (\\d+) messages rate-limited,").matcher(show);
        if (!m.find()) {
            throw new AssertionError("no rate-limited count in show logging:\n" + show);
        }
        return Long.parseLong(m.group(1));
    }
}
