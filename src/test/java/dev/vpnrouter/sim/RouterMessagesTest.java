package dev.vpnrouter.sim;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.ike.IkeEffect;
import dev.vpnrouter.ike.NegotiationFailure;
import dev.vpnrouter.ike.cfg.ConfigPolicy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine's IOS messages, on the lab's routers running the seed configurations. */
class RouterMessagesTest {
    private static final int HUB = Ipv4.parse("10.48.67.181");
    private static final int SPOKE = TunnelPredictor.DEFAULT_DHCP_ADDRESS;

    private final SimScheduler clock = new SimScheduler(0);
    private final SimNetwork net = new SimNetwork(clock, 1, FaultModel.PERFECT);
    private final List<String> hubMessages = new ArrayList<>();
    private final List<String> spokeMessages = new ArrayList<>();
    private final List<IkeEffect.Refused> hubRefusals = new ArrayList<>();

    private SimRouter hub() {
        SimRouter hub = new SimRouter("Hub", net, HUB, policy(TunnelPredictorTest.HUB), 1);
        hub.onMessage(m -> hubMessages.add(m.format()));
        hub.onEffect(e -> {
            if (e instanceof IkeEffect.Refused r) {
                hubRefusals.add(r);
            }
        });
        return hub;
    }

    private SimRouter spoke(String config) {
        SimRouter spoke = new SimRouter("Spoke", net, SPOKE, policy(config), 2);
        spoke.onMessage(m -> spokeMessages.add(m.format()));
        return spoke;
    }

    private static ConfigPolicy policy(String text) {
        return new ConfigPolicy(ConfigLoader.load(text).config());
    }

    @Test
    void aTunnelUpAndDownIsSessionStatusOnBothSides() {
        SimRouter hub = hub();
        SimRouter spoke = spoke(TunnelPredictorTest.SPOKE);
        spoke.run(e -> e.connectAll(0));
        clock.runUntil(() -> !hub.children().isEmpty() && !spoke.children().isEmpty(), 30_000);
        assertThat(hubMessages).containsExactly("%CRYPTO-5-SESSION_STATUS: Crypto tunnel is UP.  Peer "
                + "198.51.100.10:500  Id: 198.51.100.10");
        assertThat(spokeMessages).containsExactly("%CRYPTO-5-SESSION_STATUS: Crypto tunnel is UP.  Peer "
                + "10.48.67.181:500  Id: 10.48.67.181");
        spoke.run(e -> e.clearIsakmp(clock.now()));
        clock.runUntil(clock.now() + 2_000);
        assertThat(hubMessages).last().isEqualTo("%CRYPTO-5-SESSION_STATUS: Crypto tunnel is DOWN.  Peer "
                + "198.51.100.10:500  Id: 198.51.100.10");
        assertThat(spokeMessages).last().asString().startsWith("%CRYPTO-5-SESSION_STATUS: Crypto tunnel is DOWN.");
    }

    @Test
    void aWrongKeyIsAModeFailureWithItsReasonAndAStructuredRefusal() {
        hub();
        SimRouter spoke = spoke(TunnelPredictorTest.SPOKE.replace("crypto isakmp key cisco123",
                "crypto isakmp key wrong"));
        spoke.run(e -> e.connectAll(0));
        clock.runUntil(clock.now() + 30_000);
        // The first MM5s are dropped (the spoke retransmits them), the third ends it.
        assertThat(hubMessages).startsWith(
                "%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from 198.51.100.10 failed its sanity check or is malformed",
                "%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from 198.51.100.10 failed its sanity check or is malformed",
                "%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Main mode failed with peer at 198.51.100.10");
        assertThat(hubMessages.get(3)).startsWith("%CRYPTO-6-IKMP_REFUSED: peer 198.51.100.10: phase 1: ");
        assertThat(hubRefusals).singleElement().satisfies(r -> {
            assertThat(r.peerAddress()).isEqualTo(SPOKE);
            assertThat(r.failure()).isEqualTo(NegotiationFailure.AUTHENTICATION);
        });
    }

    @Test
    void noKeyForThePeerIsIosQueryKeyFailure() {
        SimRouter spoke = spoke(TunnelPredictorTest.SPOKE.replace("crypto isakmp key cisco123 address 10.48.67.181",
                ""));
        spoke.run(e -> e.connectAll(0));
        assertThat(spokeMessages).first().isEqualTo("%CRYPTO-3-IKMP_QUERY_KEY: Querying key pair failed.");
    }

    @Test
    void strayIsakmpMessagesAreOneNoSaMessageAMinutePerSource() {
        SimRouter hub = hub();
        byte[] stray = new byte[28];
        stray[7] = 1; // initiator cookie
        stray[15] = 2; // responder cookie: not a first message
        stray[17] = 0x10; // version 1.0
        stray[18] = 5; // Informational
        stray[27] = 28; // length
        for (int i = 0; i < 1000; i++) {
            net.send(SimPacket.udp(SPOKE, 500, HUB, 500, stray));
            clock.runUntil(clock.now() + 10);
        }
        assertThat(hubMessages).containsExactly(
                "%CRYPTO-4-IKMP_NO_SA: IKE message from 198.51.100.10 has no SA and is not an initialization offer");
        clock.runUntil(clock.now() + 60_000);
        net.send(SimPacket.udp(SPOKE, 500, HUB, 500, stray));
        clock.runUntil(clock.now() + 10);
        assertThat(hubMessages).hasSize(2);
        assertThat(hub.engine().counters().unknownSa).isEqualTo(1001);
    }
}
