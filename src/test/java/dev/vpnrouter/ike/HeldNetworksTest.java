package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.cfg.CryptoMapDecision;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The index of held networks answers as a scan with {@code CryptoMapDecision.overlaps} would, on random prefixes. */
class HeldNetworksTest {
    private static TrafficSelector net(String cidr) {
        String[] p = cidr.split("/");
        int len = Integer.parseInt(p[1]);
        return TrafficSelector.subnet(Ipv4.parse(p[0]), len == 0 ? 0 : -1 << (32 - len));
    }

    @Test
    void containingContainedAndEqualPrefixesOfOtherPeersAreFound() {
        HeldNetworks h = new HeldNetworks();
        int a = Ipv4.parse("198.51.100.1");
        int b = Ipv4.parse("198.51.100.2");
        h.add(net("10.3.0.0/16"), a);
        assertThat(h.otherHolder(net("10.3.0.0/16"), b)).isEqualTo(a);
        assertThat(h.otherHolder(net("10.3.7.0/24"), b)).isEqualTo(a);
        assertThat(h.otherHolder(net("10.2.0.0/15"), b)).isEqualTo(a);
        assertThat(h.otherHolder(net("0.0.0.0/0"), b)).isEqualTo(a);
        assertThat(h.otherHolder(net("10.4.0.0/16"), b)).isZero();
        assertThat(h.otherHolder(net("10.3.0.0/16"), a)).as("its own").isZero();
        h.add(net("10.3.0.0/16"), a);
        h.remove(net("10.3.0.0/16"), a);
        assertThat(h.otherHolder(net("10.3.0.0/16"), b)).as("held twice, released once").isEqualTo(a);
        h.remove(net("10.3.0.0/16"), a);
        assertThat(h.otherHolder(net("10.0.0.0/8"), b)).isZero();
        h.add(net("255.255.255.255/32"), a);
        assertThat(h.otherHolder(net("255.255.255.0/24"), b)).as("the top of the unsigned range").isEqualTo(a);
    }

    @Test
    void answersAsAScanWould() {
        SplittableRandom r = new SplittableRandom(5);
        HeldNetworks h = new HeldNetworks();
        record Held(TrafficSelector net, int holder) {
        }
        List<Held> all = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            int len = 8 + r.nextInt(25);
            TrafficSelector n = TrafficSelector.subnet(0x0a000000 | r.nextInt(1 << 20) << 4, -1 << (32 - len));
            int holder = 1 + r.nextInt(50);
            h.add(n, holder);
            all.add(new Held(n, holder));
            if (r.nextInt(4) == 0) {
                Held gone = all.remove(r.nextInt(all.size()));
                h.remove(gone.net(), gone.holder());
            }
        }
        for (int q = 0; q < 2_000; q++) {
            int len = r.nextInt(33);
            TrafficSelector query = TrafficSelector.subnet(0x0a000000 | r.nextInt(1 << 24),
                    len == 0 ? 0 : -1 << (32 - len));
            int peer = 1 + r.nextInt(50);
            boolean expected = all.stream().anyMatch(x -> x.holder() != peer
                    && CryptoMapDecision.overlaps(query, x.net()));
            int found = h.otherHolder(query, peer);
            assertThat(found != 0).as(query.ios() + " for " + peer).isEqualTo(expected);
            if (found != 0) {
                assertThat(all).anyMatch(x -> x.holder() == found && CryptoMapDecision.overlaps(query, x.net()));
            }
        }
    }
}
