package dev.vpnrouter.ike;

import dev.vpnrouter.sim.FaultModel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** UDP encapsulation forced for a peer with no NAT between them (the seed's hub and spoke on the sim internet). */
class ForcedUdpEncapsulationTest {

    private static MainModeQuickModeTest.Lab up(boolean forceOnSpoke, boolean forceOnHub) {
        MainModeQuickModeTest.Lab lab = MainModeQuickModeTest.seedLab(FaultModel.PERFECT, 5);
        if (forceOnSpoke) {
            lab.spoke().engine().forceUdpEncapsulation(MainModeQuickModeTest.HUB);
        }
        if (forceOnHub) {
            lab.hub().engine().forceUdpEncapsulationForAllPeers();
        }
        lab.spoke().run(e -> e.connectAll(0));
        lab.clock().runUntil(10_000);
        assertThat(lab.spoke().children()).hasSize(1);
        assertThat(lab.hub().children()).hasSize(1);
        return lab;
    }

    @Test
    void withoutTheOptionNoNatMeansRawEsp() {
        MainModeQuickModeTest.Lab lab = up(false, false);
        assertThat(lab.spoke().children().getFirst().udpEncapsulated()).isFalse();
        assertThat(lab.hub().children().getFirst().udpEncapsulated()).isFalse();
        assertThat(lab.log()).contains("spoke: ISAKMP (0:1): NAT-D: no NAT found");
    }

    @Test
    void forcedByTheInitiatorBothSidesCarryEspInUdpOn4500() {
        MainModeQuickModeTest.Lab lab = up(true, false);
        ChildSa spoke = lab.spoke().children().getFirst();
        ChildSa hub = lab.hub().children().getFirst();
        assertThat(spoke.udpEncapsulated()).isTrue();
        assertThat(spoke.peerPort()).isEqualTo(Datagram.NAT_T_PORT);
        assertThat(hub.udpEncapsulated()).as("the hub believes the spoke is behind a NAT").isTrue();
        assertThat(hub.peerPort()).isEqualTo(Datagram.NAT_T_PORT);
        assertThat(lab.log()).contains("spoke: ISAKMP (0:1): NAT-D: no NAT found, UDP encapsulation forced for "
                + "203.0.113.2");
        assertThat(lab.log()).anyMatch(l -> l.contains("NAT found, the peer 198.51.100.146 is behind a NAT"));
    }

    @Test
    void forcedByTheResponderForAllPeersWorksToo() {
        MainModeQuickModeTest.Lab lab = up(false, true);
        assertThat(lab.spoke().children().getFirst().udpEncapsulated()).isTrue();
        assertThat(lab.hub().children().getFirst().udpEncapsulated()).isTrue();
        assertThat(lab.log()).anyMatch(l -> l.contains("spoke: ") && l.contains("NAT found, the peer 203.0.113.2 "
                + "is behind a NAT"));
    }

    @Test
    void forcingAnotherPeerChangesNothing() {
        MainModeQuickModeTest.Lab lab = MainModeQuickModeTest.seedLab(FaultModel.PERFECT, 5);
        lab.spoke().engine().forceUdpEncapsulation(MainModeQuickModeTest.SPOKE2);
        lab.spoke().run(e -> e.connectAll(0));
        lab.clock().runUntil(10_000);
        assertThat(lab.spoke().children().getFirst().udpEncapsulated()).isFalse();
    }
}
