package dev.vpnrouter.ike;

import dev.vpnrouter.ike.wire.ExchangeType;
import org.junit.jupiter.api.Test;

import static dev.vpnrouter.ike.RemoteAccessTest.CLIENT;
import static dev.vpnrouter.ike.RemoteAccessTest.SPOKE;
import static org.assertj.core.api.Assertions.assertThat;

/** The exec CLI's clear commands through the engine: Deletes to the peers, pool addresses returned. */
class ClearCommandsTest {
    private static RemoteAccessTest.Lab upWithSpokeAndClient(LabRouter[] peers) {
        RemoteAccessTest.Lab lab = new RemoteAccessTest.Lab(7);
        LabRouter spoke = lab.spoke();
        LabRouter client = lab.client(CLIENT);
        spoke.run(e -> e.connectAll(0));
        lab.connect(client, RemoteAccessTest.seedClient("gfullage"));
        lab.runFor(10_000);
        peers[0] = spoke;
        peers[1] = client;
        assertThat(lab.hub.children()).hasSize(2);
        assertThat(lab.hub.engine().addressPool("ippool").inUse()).isEqualTo(1);
        return lab;
    }

    @Test
    void clearCryptoSaPeerDeletesOnlyThatPeersSasAndTellsIt() {
        LabRouter[] peers = new LabRouter[2];
        RemoteAccessTest.Lab lab = upWithSpokeAndClient(peers);
        long infoBefore = peers[0].receivedOfExchange(ExchangeType.INFORMATIONAL);
        int[] cleared = new int[1];
        lab.hub.run(e -> cleared[0] = e.clearIpsec(SPOKE, lab.clock.now()));
        lab.runFor(100);
        assertThat(cleared[0]).isEqualTo(1);
        assertThat(lab.hub.children()).allMatch(c -> c.peerAddress() == CLIENT).hasSize(1);
        assertThat(peers[0].receivedOfExchange(ExchangeType.INFORMATIONAL)).isGreaterThan(infoBefore);
        assertThat(peers[0].children()).isEmpty(); // the spoke honoured the Delete
        assertThat(peers[1].children()).hasSize(1);
        assertThat(lab.hub.engine().ikeSas()).hasSize(2); // phase 1 stays
    }

    @Test
    void clearCryptoIsakmpConnIdRemovesOneSaAndReturnsThePoolAddress() {
        LabRouter[] peers = new LabRouter[2];
        RemoteAccessTest.Lab lab = upWithSpokeAndClient(peers);
        int clientConnId = lab.hub.engine().ikeSas().stream().filter(s -> s.peerAddress() == CLIENT).findFirst()
                .orElseThrow().connId();
        boolean[] found = new boolean[2];
        lab.hub.run(e -> {
            found[0] = e.clearIsakmp(clientConnId, lab.clock.now());
            found[1] = e.clearIsakmp(9999, lab.clock.now());
        });
        lab.runFor(100);
        assertThat(found).containsExactly(true, false);
        assertThat(lab.hub.engine().ikeSas()).noneMatch(s -> s.peerAddress() == CLIENT);
        assertThat(lab.hub.engine().addressPool("ippool").inUse()).isZero();
        assertThat(lab.hub.log).anyMatch(l -> l.contains("returning IP addr 10.5.5.1"));
        assertThat(peers[1].engine().ikeSas()).noneMatch(IkeSaView::established);
    }

    @Test
    void clearCryptoSessionClearsEverythingAndTheSpokeComesBackOnTraffic() {
        LabRouter[] peers = new LabRouter[2];
        RemoteAccessTest.Lab lab = upWithSpokeAndClient(peers);
        int[] n = new int[1];
        lab.hub.run(e -> n[0] = e.clearSession(0, lab.clock.now()));
        lab.runFor(100);
        assertThat(n[0]).isEqualTo(2);
        assertThat(lab.hub.engine().ikeSas()).isEmpty();
        assertThat(lab.hub.children()).isEmpty();
        assertThat(lab.hub.engine().addressPool("ippool").inUse()).isZero();
        assertThat(peers[0].children()).isEmpty();
        // The spoke renegotiates when asked again, as IOS does on the next packet.
        peers[0].run(e -> e.connectAll(lab.clock.now()));
        lab.runFor(10_000);
        assertThat(lab.hub.children()).hasSize(1);
    }
}
