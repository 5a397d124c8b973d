package dev.vpnrouter.policy;

import dev.vpnrouter.common.Ipv4;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class PrefixTableTest {
    /** One prefix to insert, as value "v" + index. */
    private record Entry(int address, int length, int index) {
        boolean contains(int candidate) {
            return ((candidate ^ address) & Ipv4.maskOf(length)) == 0;
        }

        @Override
        public String toString() {
            return Ipv4.format(address) + "/" + length + "=v" + index;
        }
    }

    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    /**
     * Longest match agrees with a brute-force scan over 1 to 300 random prefixes, the first insertion winning on equal
     * prefixes, for 100 random addresses.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void longestMatchAgreesWithLinearScan(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Entry> prefixes = new ArrayList<>();
        int n = 1 + r.nextInt(300);
        for (int i = 0; i < n; i++) {
            // Mostly long prefixes, often inside 10.0.0.0/8 so that they nest and collide.
            int length = r.nextInt(4) == 0 ? r.nextInt(33) : 24 + r.nextInt(9);
            int address = (r.nextBoolean() ? 0x0a000000 | r.nextInt(1 << 16) << 8 : r.nextInt()) & Ipv4.maskOf(length);
            prefixes.add(new Entry(address, length, i));
        }
        int[] probes = new int[100];
        for (int p = 0; p < probes.length; p++) {
            int probe = r.nextInt();
            probes[p] = r.nextBoolean() ? probe : 0x0a000000 | (probe & 0xffffff);
        }

        assertThatCode(() -> {
            PrefixTable<String> t = new PrefixTable<>();
            Set<Long> seen = new HashSet<>();
            for (Entry e : prefixes) {
                boolean isNew = seen.add((long) e.address() << 6 | e.length());
                assertThat(t.putIfAbsent(e.address(), e.length(), "v" + e.index())).as("insert %s", e).isEqualTo(isNew);
            }
            for (int candidate : probes) {
                Entry best = null;
                for (Entry e : prefixes) {
                    if (e.contains(candidate) && (best == null || e.length() > best.length())) {
                        best = e; // strictly longer only: the earliest of equal prefixes stays
                    }
                }
                assertThat(t.longestMatch(candidate)).as("longest match of %s", Ipv4.format(candidate))
                        .isEqualTo(best == null ? null : "v" + best.index());
            }
        }).as("seed %d: prefixes in insertion order %s", seed, prefixes).doesNotThrowAnyException();
    }
}
