package dev.vpnrouter.policy;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

import static dev.vpnrouter.common.Ipv4.parse;
import static org.assertj.core.api.Assertions.assertThat;

class PoolAllocatorTest {
    private static IpPool pool(String... ranges) {
        List<IpPool.Range> list = new java.util.ArrayList<>();
        for (int i = 0; i < ranges.length; i += 2) {
            list.add(new IpPool.Range(parse(ranges[i]), parse(ranges[i + 1])));
        }
        return new IpPool("p", list);
    }

    @Test
    void handsOutEveryAddressOnceThenRunsOut() {
        IpPool p = pool("10.5.5.1", "10.5.5.254");
        PoolAllocator a = p.newAllocator();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 254; i++) {
            int addr = a.allocate().orElseThrow();
            assertThat(p.contains(addr)).isTrue();
            assertThat(seen.add(addr)).as("no duplicates").isTrue();
        }
        assertThat(a.allocate()).isEmpty();
        assertThat(a.free()).isZero();
        assertThat(a.release(parse("10.5.5.77"))).isTrue();
        assertThat(a.release(parse("10.5.5.77"))).isFalse();
        assertThat(a.allocate()).isEqualTo(OptionalInt.of(parse("10.5.5.77")));
    }

    @Test
    void specificAddressesAndSeveralRanges() {
        IpPool p = pool("192.168.1.250", "192.168.2.3", "10.0.0.1", "10.0.0.2");
        assertThat(p.size()).isEqualTo(2 + 10);
        PoolAllocator a = p.newAllocator();
        assertThat(a.allocate(parse("192.168.2.0"))).isTrue();
        assertThat(a.allocate(parse("192.168.2.0"))).isFalse();
        assertThat(a.allocate(parse("192.168.2.4"))).isFalse(); // outside
        assertThat(a.isAllocated(parse("192.168.2.0"))).isTrue();
        assertThat(a.allocate()).isEqualTo(OptionalInt.of(parse("10.0.0.1"))); // lowest range first
        Set<Integer> all = new HashSet<>(List.of(parse("192.168.2.0"), parse("10.0.0.1")));
        for (OptionalInt next = a.allocate(); next.isPresent(); next = a.allocate()) {
            assertThat(all.add(next.getAsInt())).isTrue();
        }
        assertThat(all).hasSize(12);
        assertThat(a.release(parse("172.16.0.1"))).isFalse();
    }

    @Test
    void releasedAddressIsNotReusedImmediately() {
        PoolAllocator a = pool("10.0.0.1", "10.0.0.10").newAllocator();
        int first = a.allocate().orElseThrow();
        a.release(first);
        assertThat(a.allocate().orElseThrow()).isNotEqualTo(first);
    }
}
