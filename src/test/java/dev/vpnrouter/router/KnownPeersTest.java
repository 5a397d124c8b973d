package dev.vpnrouter.router;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KnownPeersTest {
    @Test
    void aPeerIsKnownWhileAnyOfItsSasIsUp() {
        KnownPeers k = new KnownPeers();
        assertThat(k.contains(7)).isFalse();
        k.up(7);
        k.up(7); // a renewal's new SA before the old one goes
        k.down(7);
        assertThat(k.contains(7)).isTrue();
        k.down(7);
        assertThat(k.contains(7)).isFalse();
        k.down(7); // a stray down changes nothing
        k.up(7);
        assertThat(k.contains(7)).isTrue();
    }
}
