package dev.vpnrouter.interop;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeSaView;
import dev.vpnrouter.router.RouterRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link RouterRuntime#changeAddress} in two namespaces joined by a veth, our hub (hub.cfg) and our spoke
 * (spoke.cfg) in one JVM: while the old address is still configured the Deletes leave from it; the spoke comes
 * back from the new address and the hub holds one ISAKMP SA; a move to an address the box does not have changes
 * nothing.
 */
@Interop
class RouterRuntimeAddressChangeTest {
    private static final String HUB = "192.0.2.1";
    private static final String OLD = "192.0.2.10";
    private static final String NEW = "192.0.2.11";
    private static NetNs.Pair link;
    private static NetNs hubNs;
    private static NetNs spokeNs;

    @BeforeAll
    static void namespaces() throws IOException {
        link = NetNs.Pair.linked("run-hub", HUB + "/24", "run-spoke", OLD + "/24", "out0");
        hubNs = link.left();
        spokeNs = link.right();
        spokeNs.addAddress("out0", NEW + "/24");
    }

    @AfterAll
    static void cleanUp() {
        if (link != null) {
            link.close();
        }
    }

    private static String seed(String name) throws IOException {
        return Files.readString(Path.of("examples/seed", name)).replace("10.48.67.181 255.255.255.224",
                HUB + " 255.255.255.0").replace("10.48.67.181", HUB);
    }

    private static List<String> established(RouterRuntime r) {
        return r.query(e -> {
            List<String> out = new ArrayList<>();
            for (IkeSaView sa : e.ikeSas()) {
                out.add(Ipv4.format(sa.peerAddress()) + (sa.established() ? "" : " " + sa.iosState()));
            }
            return out;
        });
    }

    @Test
    @Timeout(60)
    void deletesLeaveFromTheOldAddressWhileItExistsAndTheHubKeepsOneSa() throws Exception {
        List<String> hubLog = new CopyOnWriteArrayList<>();
        List<String> spokeLog = new CopyOnWriteArrayList<>();
        try (RouterRuntime hub = EngineStrongSwanInteropTest.startOurs(hubNs,
                EngineStrongSwanInteropTest.policy(seed("hub.cfg")), HUB, null, hubLog);
             RouterRuntime spoke = EngineStrongSwanInteropTest.startOurs(spokeNs,
                     EngineStrongSwanInteropTest.policy(seed("spoke.cfg")), OLD, null, spokeLog)) {
            spoke.submit(e -> e.connectAll(System.currentTimeMillis()));
            Await.until("the hub to hold the spoke's SA", Duration.ofSeconds(15), () -> established(hub),
                    sas -> sas.equals(List.of(OLD)));
            Await.until("the spoke's IPsec SA", Duration.ofSeconds(10), () -> spoke.query(e -> e.childSas().size()),
                    n -> n == 1);

            RouterRuntime.AddressChange change = spoke.changeAddress(Ipv4.parse(NEW)).get(10, TimeUnit.SECONDS);
            assertThat(change).isEqualTo(new RouterRuntime.AddressChange(Ipv4.parse(OLD), Ipv4.parse(NEW), 1, 2, 0,
                    true));
            assertThat(Ipv4.format(spoke.address())).isEqualTo(NEW);
            assertThat(spokeLog).anyMatch(l -> l.startsWith("vpnrouter: outside address changed from 192.0.2.10 to "
                    + "192.0.2.11: 1 ISAKMP SA(s) deleted (Deletes sent: 2 from 192.0.2.10, 0 from 192.0.2.11)"));

            Await.until("the hub to hold one SA, from the new address", Duration.ofSeconds(15),
                    () -> established(hub), sas -> sas.equals(List.of(NEW)));
            Await.until("the spoke's new IPsec SA", Duration.ofSeconds(10),
                    () -> spoke.query(e -> e.childSas().size()), n -> n == 1);
            assertThat(hubLog).anyMatch(l -> l.endsWith("peer 192.0.2.10 deleted the ISAKMP SA"));
            long hubErrors = hub.query(e -> e.counters().internalErrors);
            assertThat(hubErrors).isZero();
        }
    }

    /**
     * When the Deletes are lost (here the hub's input drops the spoke's old address), the hub holds two SAs for a
     * while; with {@code crypto isakmp keepalive} its DPD finds the old one dead and clears it.
     */
    @Test
    @Timeout(90)
    void lostDeletesLeaveAStaleSaThatTheHubsDpdClears() throws Exception {
        Prerequisites.require("nft");
        List<String> hubLog = new CopyOnWriteArrayList<>();
        List<String> spokeLog = new CopyOnWriteArrayList<>();
        String hubCfg = seed("hub.cfg").replace("crypto isakmp policy 10", "crypto isakmp keepalive 10 2\n"
                + "crypto isakmp policy 10");
        Path rules = Files.createTempFile("run-drop-old", ".nft");
        try (RouterRuntime hub = EngineStrongSwanInteropTest.startOurs(hubNs,
                EngineStrongSwanInteropTest.policy(hubCfg), HUB, null, hubLog);
             RouterRuntime spoke = EngineStrongSwanInteropTest.startOurs(spokeNs,
                     EngineStrongSwanInteropTest.policy(seed("spoke.cfg")), OLD, null, spokeLog)) {
            spoke.submit(e -> e.connectAll(System.currentTimeMillis()));
            Await.until("the hub to hold the spoke's SA", Duration.ofSeconds(15), () -> established(hub),
                    sas -> sas.equals(List.of(OLD)));

            Files.writeString(rules, """
                    table ip run_drop_old {
                      chain input {
                        type filter hook input priority 0; policy accept;
                        ip saddr %s drop
                      }
                    }
                    """.formatted(OLD));
            hubNs.run(Prerequisites.resolve("nft"), "-f", rules.toString());
            spoke.changeAddress(Ipv4.parse(NEW)).get(10, TimeUnit.SECONDS);
            Await.until("two SAs on the hub: the stale one and the new one", Duration.ofSeconds(15),
                    () -> established(hub), sas -> sas.size() == 2 && sas.contains(OLD) && sas.contains(NEW));
            long stale = System.nanoTime();
            Await.until("DPD to clear the stale SA", Duration.ofSeconds(45), () -> established(hub),
                    sas -> sas.equals(List.of(NEW)));
            assertThat(Duration.ofNanos(System.nanoTime() - stale)).as("keepalive 10 s + 5 probes 2 s apart")
                    .isLessThan(Duration.ofSeconds(40));
            assertThat(hubLog).anyMatch(l -> l.contains("DPD: peer 192.0.2.10 is dead"));
        } finally {
            hubNs.exec(Duration.ofSeconds(10), Prerequisites.resolve("nft"), "delete", "table", "ip",
                    "run_drop_old");
            Files.deleteIfExists(rules);
        }
    }

    @Test
    @Timeout(30)
    void aMoveToAnAddressThisBoxDoesNotHaveChangesNothing() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        try (RouterRuntime spoke = EngineStrongSwanInteropTest.startOurs(spokeNs,
                EngineStrongSwanInteropTest.policy(seed("spoke.cfg")), OLD, null, log)) {
            assertThatThrownBy(() -> spoke.changeAddress(Ipv4.parse("192.0.2.99")).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasMessageContaining("UDP 192.0.2.99:500 is taken")
                    .hasMessageContaining("or not a local address");
            assertThat(Ipv4.format(spoke.address())).isEqualTo(OLD);
            assertThat(spoke.isRunning()).isTrue();
            int sas = spoke.query(e -> e.ikeSaCount());
            assertThat(sas).isZero();
        }
    }
}
