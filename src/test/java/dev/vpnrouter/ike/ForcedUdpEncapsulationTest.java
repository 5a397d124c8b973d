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
        assertThat(onlySa(lab.spoke()).natDetected()).isFalse();
        assertThat(onlySa(lab.hub()).natDetected()).isFalse();
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
        assertThat(onlySa(lab.spoke()).natLocal).as("forcing: the spoke acts as if behind a NAT").isTrue();
        assertThat(onlySa(lab.spoke()).natPeer).isFalse();
        assertThat(onlySa(lab.hub()).natPeer).as("the hub sees the spoke behind a NAT").isTrue();
    }

    @Test
    void forcedByTheResponderForAllPeersWorksToo() {
        MainModeQuickModeTest.Lab lab = up(false, true);
        assertThat(lab.spoke().children().getFirst().udpEncapsulated()).isTrue();
        assertThat(lab.hub().children().getFirst().udpEncapsulated()).isTrue();
        assertThat(onlySa(lab.spoke()).natPeer).as("the spoke sees the hub behind a NAT").isTrue();
        assertThat(onlySa(lab.hub()).natLocal).isTrue();
    }

    private static IkeSa onlySa(dev.vpnrouter.sim.SimRouter router) {
        assertThat(router.engine().sas.all()).hasSize(1);
        return router.engine().sas.all().iterator().next();
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
