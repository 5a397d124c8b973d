package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.cfg.AddressPoolConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AddressPoolTest {
    static final int FIRST = Ipv4.parse("10.5.5.1");

    @Test
    void lowestFreeFirstThenExhausted() {
        AddressPool p = new AddressPool(AddressPoolConfig.of("ippool", FIRST, FIRST + 2));
        assertThat(p.size()).isEqualTo(3);
        assertThat(p.allocate("g/a")).isEqualTo(FIRST);
        assertThat(p.allocate("g/b")).isEqualTo(FIRST + 1);
        assertThat(p.allocate("g/c")).isEqualTo(FIRST + 2);
        assertThat(p.allocate("g/d")).isZero();
        assertThat(p.inUse()).isEqualTo(3);
        p.release(FIRST + 1);
        assertThat(p.owner(FIRST + 1)).isNull();
        assertThat(p.allocate("g/d")).isEqualTo(FIRST + 1);
        assertThat(p.owner(FIRST + 1)).isEqualTo("g/d");
    }

    @Test
    void anOwnerGetsItsLastAddressBack() {
        AddressPool p = new AddressPool(AddressPoolConfig.of("ippool", FIRST, FIRST + 9));
        int a = p.allocate("g/alice");
        int b = p.allocate("g/bob");
        p.release(a);
        p.release(b);
        assertThat(p.allocate("g/bob")).isEqualTo(b);
        assertThat(p.allocate("g/alice")).isEqualTo(a);
        // Taken by someone else meanwhile: the lowest free one.
        p.release(a);
        p.allocate("g/carol");
        assertThat(p.allocate("g/alice")).isEqualTo(FIRST + 2);
    }

    @Test
    void severalRangesAndReconfiguration() {
        AddressPoolConfig two = new AddressPoolConfig("p", List.of(new AddressPoolConfig.Range(FIRST, FIRST),
                new AddressPoolConfig.Range(Ipv4.parse("10.9.0.1"), Ipv4.parse("10.9.0.2"))));
        AddressPool p = new AddressPool(two);
        assertThat(List.of(p.allocate("a"), p.allocate("b"), p.allocate("c")))
                .containsExactly(FIRST, Ipv4.parse("10.9.0.1"), Ipv4.parse("10.9.0.2"));
        assertThat(p.isAllocated(Ipv4.parse("10.9.0.2"))).isTrue();
        assertThat(p.isAllocated(Ipv4.parse("10.9.0.3"))).isFalse();
        // Shrunk to the first range: what is still inside stays allocated, the rest is forgotten.
        AddressPool smaller = new AddressPool(AddressPoolConfig.of("p", FIRST, FIRST + 1));
        smaller.adopt(p);
        assertThat(smaller.inUse()).isEqualTo(1);
        assertThat(smaller.allocate("d")).isEqualTo(FIRST + 1);
        smaller.release(Ipv4.parse("10.9.0.1")); // unknown here: ignored
        assertThat(smaller.inUse()).isEqualTo(2);
    }

    @Test
    void neverHandsOutAnAddressTwice() {
        java.util.SplittableRandom cases = new java.util.SplittableRandom(31);
        for (int i = 0; i < 1000; i++) {
            neverHandsOutAnAddressTwice(cases.nextInt(1, 65), cases.nextLong());
        }
    }

    private static void neverHandsOutAnAddressTwice(int size, long seed) {
        AddressPool p = new AddressPool(AddressPoolConfig.of("p", FIRST, FIRST + size - 1));
        Random r = new Random(seed);
        Set<Integer> held = new HashSet<>();
        List<Integer> order = new ArrayList<>();
        for (int step = 0; step < 500; step++) {
            if (r.nextBoolean() && !order.isEmpty()) {
                int a = order.remove(r.nextInt(order.size()));
                held.remove(a);
                p.release(a);
            } else {
                int a = p.allocate("u" + r.nextInt(20));
                if (held.size() == size) {
                    assertThat(a).as("size %d seed %d", size, seed).isZero();
                } else {
                    assertThat(a).isBetween(FIRST, FIRST + size - 1);
                    assertThat(held.add(a)).isTrue();
                    order.add(a);
                }
            }
            assertThat(p.inUse()).isEqualTo(held.size());
        }
    }
}
