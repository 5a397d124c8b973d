package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.cfg.ChildPolicy;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link EntryPeers}: IOS's order of {@code set peer}s, across failures and reconfigurations. */
class EntryPeersTest {
    static final int A = Ipv4.parse("198.51.100.1");
    static final int B = Ipv4.parse("198.51.100.2");
    static final int C = Ipv4.parse("198.51.100.3");

    static ChildPolicy entry(int sequence, List<Integer> peers) {
        return new ChildPolicy("mymap", sequence, false, null, 0, peers, List.of(), "100", List.of(), 0, 0, 0, null,
                false);
    }

    @Test
    void theFirstPeerUntilItFailsThenTheNextWrappingRound() {
        EntryPeers peers = new EntryPeers();
        ChildPolicy e = entry(10, List.of(A, B, C));
        List<ChildPolicy> map = List.of(e);
        assertThat(peers.current(e)).isEqualTo(A);
        assertThat(peers.using(map, B)).isEmpty(); // B is not in use: its failure moves nothing
        assertThat(peers.using(map, A)).containsExactly(e);
        assertThat(peers.moveOn(e)).isEqualTo(B);
        assertThat(peers.moveOn(e)).isEqualTo(C);
        assertThat(peers.moveOn(e)).isEqualTo(A);
    }

    @Test
    void entriesWithOnePeerOrNoneAreNeverMovedAndEachEntryMovesOnItsOwn() {
        EntryPeers peers = new EntryPeers();
        ChildPolicy alone = entry(10, List.of(A));
        ChildPolicy first = entry(20, List.of(A, B));
        ChildPolicy other = entry(30, List.of(B, A));
        ChildPolicy dynamic = new ChildPolicy("mymap", 40, true, "dyn", 5, List.of(), List.of(), null, List.of(), 0,
                0, 0, null, false);
        List<ChildPolicy> map = List.of(alone, first, other, dynamic);
        assertThat(peers.using(map, A)).containsExactly(first);
        peers.moveOn(first);
        assertThat(peers.current(first)).isEqualTo(B);
        assertThat(peers.current(other)).isEqualTo(B);
        assertThat(peers.current(alone)).isEqualTo(A);
    }

    @Test
    void aReconfigurationKeepsThePeerInUseWhileItIsStillConfigured() {
        EntryPeers peers = new EntryPeers();
        peers.moveOn(entry(10, List.of(A, B)));
        // The same entry (map and sequence) from a new configuration: still on B.
        assertThat(peers.current(entry(10, List.of(A, B, C)))).isEqualTo(B);
        // B no longer configured: back to the first peer.
        assertThat(peers.current(entry(10, List.of(C, A)))).isEqualTo(C);
    }
}
