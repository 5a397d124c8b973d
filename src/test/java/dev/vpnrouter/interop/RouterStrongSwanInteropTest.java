package dev.vpnrouter.interop;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.net.Command;
import dev.vpnrouter.router.IkeSaSnapshot;
import dev.vpnrouter.router.RouterRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our IKE engine, hosted by {@link RouterRuntime} inside the topology's namespaces, against real strongSwan (issue
 * 3's interop criteria): our hub with a strongSwan spoke at a DHCP address, our spoke (outside address from the
 * DHCP lease) with a strongSwan hub, and a wrong pre-shared key refused without leftover state. strongSwan runs
 * with {@code encap = yes}, which fakes NAT-D so both sides float to UDP 4500 after MM4. Every captured ISAKMP
 * packet must decode cleanly in tshark, and with our key log the encrypted ones must decrypt.
 *
 * <p>The engine policies come from {@link SeedEnginePolicy} (seed-equivalent, built by hand) until the
 * config-to-policy adapter can compile examples/seed/hub.cfg and spoke.cfg.
 */
class RouterStrongSwanInteropTest {
    private static final int HUB = Ipv4.parse(Topology.HUB_OUTSIDE);
    private static final Duration NEGOTIATION = Duration.ofSeconds(30);

    private static void requirePrograms() {
        Prerequisites.require("ip", "charon", "swanctl", "nsenter", "tshark", "dnsmasq", "udhcpc");
    }

    @Test
    @Timeout(150)
    void strongSwanSpokeAtADhcpAddressBringsUpMainAndQuickModeWithOurHub() throws Exception {
        requirePrograms();
        Path work = Topology.workDir("router-hub-" + ProcessHandle.current().pid());
        try (Topology t = Topology.builder(work).build()) {
            String spokeAddress = t.spokeOutside();
            int spoke = Ipv4.parse(spokeAddress);
            Tshark.Capture capture = t.own(Tshark.capture(t.hub(), Topology.OUTSIDE_IF, work.resolve("hub-out0.pcap")));
            RouterLog log = new RouterLog(work.resolve("our-hub.log"));
            Path keys = work.resolve("our-hub.ikev1-keys");
            Files.deleteIfExists(keys);
            // The policy: seed hub.cfg equivalent (swap for the parsed hub.cfg once the adapter is merged).
            RouterRuntime hub = t.own(t.hub().call(() -> RouterRuntime.builder(SeedEnginePolicy.hub(), HUB)
                    .engineDebug(true).debugSink(log).keyLog(keys).start()));
            StrongSwan swan = t.own(StrongSwan.start(t.spoke(), work.resolve("swan-spoke"),
                    SeedPeers.spoke(Topology.HUB_OUTSIDE)));

            initiate(swan, SeedPeers.SPOKE_CHILD, log);
            String sas = swan.awaitEstablished(SeedPeers.SPOKE_CONN, SeedPeers.SPOKE_CHILD, Duration.ofSeconds(15));
            assertThat(sas).contains("ESTABLISHED").contains(spokeAddress).contains(Topology.HUB_OUTSIDE)
                    .contains("3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024").contains("INSTALLED")
                    .contains("10.2.0.0/16").contains("10.1.0.0/16");

            List<ChildSa> children = Await.until("our hub's IPsec SA", Duration.ofSeconds(10), hub::childSas,
                    l -> !l.isEmpty());
            assertThat(children).as(log.tail(40)).singleElement().satisfies(c -> {
                assertThat(c.local().ios()).isEqualTo("10.1.0.0/255.255.0.0/0/0");
                assertThat(c.remote().ios()).isEqualTo("10.2.0.0/255.255.0.0/0/0");
                assertThat(c.peerAddress()).isEqualTo(spoke);
                assertThat(c.transform().iosTransform()).isEqualTo("esp-3des esp-sha-hmac");
                // encap=yes made NAT "detected": ESP goes in UDP 4500 both ways.
                assertThat(c.udpEncapsulated()).isTrue();
                assertThat(c.peerPort()).isEqualTo(4500);
                assertThat(c.localPort()).isEqualTo(4500);
                assertThat(sas).contains(String.format("%08x", c.inboundSpi()))
                        .contains(String.format("%08x", c.outboundSpi()));
            });
            assertThat(hub.ikeSas()).singleElement().satisfies(sa -> {
                assertThat(sa.peerAddress()).isEqualTo(spoke);
                assertThat(sa.peerPort()).isEqualTo(4500);
                assertThat(sa.established()).isTrue();
                assertThat(sa.iosState()).isEqualTo("QM_IDLE");
                assertThat(sa.profile()).isEqualTo("L2L");
                assertThat(sa.capabilities()).contains("N");
                assertThat(sa.encryption() + "/" + sa.hash() + "/" + sa.dhGroup()).isEqualTo("3des/sha/2");
            });
            assertThat(log.matching("peer matches L2L profile")).isNotEmpty();
            assertNoInternalErrors(hub);

            stopAndAssertPeerForgets(hub, swan, SeedPeers.SPOKE_CONN);
            Path pcap = capture.stop();
            assertCleanAndDecryptable(pcap, keys, spokeAddress);
        }
    }

    @Test
    @Timeout(150)
    void ourSpokeAtItsDhcpAddressBringsUpMainAndQuickModeWithAStrongSwanHub() throws Exception {
        requirePrograms();
        Path work = Topology.workDir("router-spoke-" + ProcessHandle.current().pid());
        try (Topology t = Topology.builder(work).build()) {
            // The address the harness's udhcpc leased on the spoke's outside link: what `ip address dhcp` holds.
            String spokeAddress = t.spokeOutside();
            int spoke = Ipv4.parse(spokeAddress);
            assertThat(t.spoke().addresses(Topology.OUTSIDE_IF)).contains(spoke);
            Tshark.Capture capture = t.own(Tshark.capture(t.hub(), Topology.OUTSIDE_IF, work.resolve("hub-out0.pcap")));
            StrongSwan swan = t.own(StrongSwan.start(t.hub(), work.resolve("swan-hub"),
                    SeedPeers.hub(Topology.HUB_OUTSIDE)));
            RouterLog log = new RouterLog(work.resolve("our-spoke.log"));
            Path keys = work.resolve("our-spoke.ikev1-keys");
            Files.deleteIfExists(keys);
            // The policy: seed spoke.cfg equivalent (swap for the parsed spoke.cfg once the adapter is merged).
            RouterRuntime ours = t.own(t.spoke().call(() -> RouterRuntime.builder(SeedEnginePolicy.spoke(HUB), spoke)
                    .engineDebug(true).debugSink(log).keyLog(keys).connectAtStart(true).start()));

            List<ChildSa> children = Await.until("our spoke's IPsec SA (log " + log.file() + ")", NEGOTIATION,
                    ours::childSas, l -> !l.isEmpty());
            String sas = swan.awaitEstablished(SeedPeers.HUB_L2L_CONN, SeedPeers.HUB_L2L_CHILD,
                    Duration.ofSeconds(10));
            assertThat(sas).contains(spokeAddress).contains("3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024")
                    .contains("10.1.0.0/16").contains("10.2.0.0/16");
            assertThat(children).singleElement().satisfies(c -> {
                assertThat(c.local().ios()).isEqualTo("10.2.0.0/255.255.0.0/0/0");
                assertThat(c.remote().ios()).isEqualTo("10.1.0.0/255.255.0.0/0/0");
                assertThat(c.peerAddress()).isEqualTo(HUB);
                assertThat(c.localAddress()).isEqualTo(spoke);
                assertThat(c.udpEncapsulated()).isTrue();
                assertThat(c.peerPort()).isEqualTo(4500);
                assertThat(c.initiator()).isTrue();
                assertThat(sas).contains(String.format("%08x", c.inboundSpi()))
                        .contains(String.format("%08x", c.outboundSpi()));
            });
            List<IkeSaSnapshot> ike = ours.ikeSas();
            assertThat(ike).singleElement().satisfies(sa -> {
                assertThat(sa.localAddress()).isEqualTo(spoke);
                assertThat(sa.peerAddress()).isEqualTo(HUB);
                assertThat(sa.initiator()).isTrue();
                assertThat(sa.iosState()).isEqualTo("QM_IDLE");
                assertThat(sa.capabilities()).contains("N");
            });
            assertNoInternalErrors(ours);

            stopAndAssertPeerForgets(ours, swan, SeedPeers.HUB_L2L_CONN);
            Path pcap = capture.stop();
            assertCleanAndDecryptable(pcap, keys, spokeAddress);
        }
    }

    @Test
    @Timeout(150)
    void aWrongPresharedKeyIsRefusedWithOneLineAndLeavesNoState() throws Exception {
        requirePrograms();
        Path work = Topology.workDir("router-wrong-psk-" + ProcessHandle.current().pid());
        try (Topology t = Topology.builder(work).build()) {
            String spokeAddress = t.spokeOutside();
            RouterLog log = new RouterLog(work.resolve("our-hub.log"));
            // Our hub's wildcard key is not the spoke's cisco123.
            RouterRuntime hub = t.own(t.hub().call(() -> RouterRuntime.builder(
                    SeedEnginePolicy.hubWithKey("not-cisco123"), HUB).engineDebug(false).debugSink(log).start()));
            StrongSwan swan = t.own(StrongSwan.start(t.spoke(), work.resolve("swan-spoke"),
                    SeedPeers.spoke(Topology.HUB_OUTSIDE)));

            Command.Result result = swan.swanctl(Duration.ofSeconds(20), "--initiate", "--child",
                    SeedPeers.SPOKE_CHILD, "--timeout", "12");
            assertThat(result.ok()).as("strongSwan must not get an SA with the wrong key:\n" + result.describe())
                    .isFalse();

            List<String> refusals = Await.until("our hub's refusal", Duration.ofSeconds(5),
                    () -> log.matching("IKMP_REFUSED"), l -> !l.isEmpty());
            assertThat(refusals).as(log.tail(30)).hasSize(1);
            String reason = refusals.getFirst();
            assertThat(reason).doesNotContain("\n").contains(spokeAddress);
            assertThat(hub.ikeSas()).as("no ISAKMP SA left behind; log:\n" + log.tail(30)).isEmpty();
            assertThat(hub.childSas()).isEmpty();
            int halfOpen = hub.call(e -> e.halfOpenCount());
            assertThat(halfOpen).isZero();
            assertNoInternalErrors(hub);
            assertThat(swan.swanctl("--list-sas").stdout()).doesNotContain("ESTABLISHED");
        }
    }

    // ------------------------------------------------------------------ helpers

    /** swanctl --initiate; on failure the message also carries our router's log. */
    private static void initiate(StrongSwan swan, String child, RouterLog ours) throws IOException {
        try {
            swan.initiate(child, NEGOTIATION);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n--- our router (" + ours.file() + ") ---\n"
                    + ours.tail(60), e);
        }
    }

    /** A clean stop sends Deletes (encrypted Informational on 4500) and strongSwan drops both SAs at once. */
    private static void stopAndAssertPeerForgets(RouterRuntime ours, StrongSwan swan, String conn)
            throws IOException {
        assertThat(ours.stop(Duration.ofSeconds(5))).as("our router stops in time").isTrue();
        assertThat(ours.failure()).isNull();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String sas;
        while ((sas = swan.swanctl("--list-sas", "--ike", conn).stdout()).contains("ESTABLISHED")) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(swan.describeFailure("strongSwan kept " + conn
                        + " after our Deletes:\n" + sas));
            }
            Daemon.sleep(100);
        }
        assertThat(swan.log()).contains("received DELETE for IKE_SA");
    }

    private static void assertNoInternalErrors(RouterRuntime runtime) {
        long internal = runtime.call(e -> e.counters().internalErrors);
        long malformed = runtime.call(e -> e.counters().malformed);
        assertThat(internal).as("engine internal errors").isZero();
        assertThat(malformed).as("datagrams our engine found malformed").isZero();
        assertThat(runtime.stats().sendFailures()).as("send failures").isZero();
    }

    /**
     * Every ISAKMP frame decodes without a malformed flag or expert error, with and without our keys; Main Mode
     * floated to 4500 after MM4; with the key log every encrypted frame decrypts (its HASH payload becomes
     * visible), and MM5/MM6 show their ID payloads: the spoke's and the hub's addresses.
     */
    private static void assertCleanAndDecryptable(Path pcap, Path keyLog, String spokeAddress) throws IOException {
        List<String> decrypt = decryptionOptions(keyLog);
        String[] opts = decrypt.toArray(String[]::new);
        assertThat(Tshark.isakmpProblems(pcap)).as("malformed ISAKMP in " + pcap).isEmpty();
        assertThat(Tshark.isakmpProblems(pcap, opts)).as("malformed decrypted ISAKMP in " + pcap).isEmpty();

        // Counts allow retransmissions under load; what must hold exactly is where each message went.
        assertThat(Tshark.count(pcap, "isakmp.exchangetype == 2 && isakmp.flag_e == 0 && udp.port == 500"))
                .as("MM1-MM4 on 500").isGreaterThanOrEqualTo(4);
        assertThat(Tshark.count(pcap, "isakmp.exchangetype == 2 && isakmp.flag_e == 0 && udp.port == 4500"))
                .as("no clear Main Mode on 4500").isZero();
        assertThat(Tshark.count(pcap, "isakmp.exchangetype == 2 && isakmp.flag_e == 1 && udp.port == 4500"))
                .as("MM5-MM6 floated to 4500").isGreaterThanOrEqualTo(2);
        assertThat(Tshark.count(pcap, "isakmp.flag_e == 1 && udp.port == 500")).as("nothing encrypted on 500")
                .isZero();
        assertThat(Tshark.count(pcap, "isakmp.exchangetype == 32 && udp.port == 4500")).as("Quick Mode on 4500")
                .isGreaterThanOrEqualTo(3);
        assertThat(Tshark.count(pcap, "isakmp.exchangetype == 5 && udp.port == 4500"))
                .as("our Deletes on shutdown (IPsec SA, then ISAKMP SA)").isGreaterThanOrEqualTo(2);

        int encrypted = Tshark.count(pcap, "isakmp.flag_e == 1");
        assertThat(encrypted).as("encrypted ISAKMP frames").isGreaterThanOrEqualTo(5);
        assertThat(Tshark.count(pcap, "isakmp.flag_e == 1 && isakmp.typepayload == 8"))
                .as("without keys nothing inside is readable").isZero();
        assertThat(Tshark.count(pcap, "isakmp.flag_e == 1 && isakmp.typepayload == 8", opts))
                .as("every encrypted frame decrypts with our key log (HASH visible)").isEqualTo(encrypted);

        assertThat(countWithKeyLogAsProfile(pcap, keyLog, "isakmp.flag_e == 1 && isakmp.typepayload == 8"))
                .as("the key log file works unchanged as Wireshark's ikev1_decryption_table").isEqualTo(encrypted);

        List<String> ids = Tshark.fields(pcap, "isakmp.exchangetype == 2 && isakmp.flag_e == 1", decrypt, "ip.src",
                "isakmp.id.type", "isakmp.id.data.ipv4_addr");
        // frame number, ip.src, ID type 1 (ID_IPV4_ADDR), the address: each side identifies itself by address.
        assertThat(ids.stream().map(l -> l.substring(l.indexOf('\t') + 1)).distinct().toList())
                .as("decrypted MM5/MM6 identities").containsExactly(
                        spokeAddress + "\t1\t" + spokeAddress,
                        Topology.HUB_OUTSIDE + "\t1\t" + Topology.HUB_OUTSIDE);
    }

    /**
     * Runs tshark with a personal configuration whose {@code ikev1_decryption_table} is our key log file, copied
     * byte for byte: proof that the file is in Wireshark's own UAT format.
     */
    private static int countWithKeyLogAsProfile(Path pcap, Path keyLog, String filter) throws IOException {
        Path home = pcap.resolveSibling("tshark-home");
        Path conf = home.resolve(".config").resolve("wireshark");
        Files.createDirectories(conf);
        Files.copy(keyLog, conf.resolve("ikev1_decryption_table"), StandardCopyOption.REPLACE_EXISTING);
        Command.Result r = Command.run(Duration.ofSeconds(60), "env", "HOME=" + home,
                Prerequisites.resolve("tshark"), "-n", "-r", pcap.toString(), "-Y", filter).check();
        assertThat(r.stderr()).as("tshark loads the table").doesNotContain("Error loading table");
        return (int) r.stdout().lines().filter(l -> !l.isBlank()).count();
    }

    /** The key log, one {@code -o uat:ikev1_decryption_table:LINE} per line (the file's lines are UAT records). */
    private static List<String> decryptionOptions(Path keyLog) throws IOException {
        List<String> lines = Files.readAllLines(keyLog).stream().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as("key log " + keyLog).isNotEmpty();
        List<String> options = new ArrayList<>();
        for (String line : lines) {
            options.add("-o");
            options.add("uat:ikev1_decryption_table:" + line);
        }
        return options;
    }
}
