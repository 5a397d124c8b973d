package dev.vpnrouter.policy;

import dev.vpnrouter.common.Ipv4;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PrefixTableTest {
    /** Longest match agrees with a brute-force scan, first insertion winning on equal prefixes. */
    @org.junit.jupiter.api.Test
    void longestMatchAgreesWithLinearScan() {
        java.util.SplittableRandom cases = new java.util.SplittableRandom(17);
        for (int c = 0; c < 1000; c++) {
            List<Integer> probes = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                probes.add(cases.nextInt(Integer.MAX_VALUE));
            }
            longestMatchAgreesWithLinearScan(cases.nextLong(), cases.nextInt(1, 301), probes);
        }
    }

    private static void longestMatchAgreesWithLinearScan(long seed, int n, List<Integer> probes) {
        Random r = new Random(seed);
        PrefixTable<String> t = new PrefixTable<>();
        List<int[]> inserted = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int length = r.nextInt(4) == 0 ? r.nextInt(33) : 24 + r.nextInt(9);
            int address = (r.nextBoolean() ? 0x0a000000 | r.nextInt(1 << 16) << 8 : r.nextInt()) & Ipv4.maskOf(length);
            if (t.putIfAbsent(address, length, "v" + i)) {
                inserted.add(new int[] {address, length, i});
            }
        }
        for (int probe : probes) {
            int candidate = r.nextBoolean() ? probe : (0x0a000000 | (probe & 0xffffff));
            int[] best = null;
            for (int[] e : inserted) {
                if (((candidate ^ e[0]) & Ipv4.maskOf(e[1])) == 0 && (best == null || e[1] > best[1])) {
                    best = e;
                }
            }
            assertThat(t.longestMatch(candidate)).as("seed %d n %d probe %d", seed, n, candidate).isEqualTo(best == null ? null : "v" + best[2]);
        }
    }
}
