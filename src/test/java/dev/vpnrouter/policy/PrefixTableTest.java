package dev.vpnrouter.policy;

import dev.vpnrouter.common.Ipv4;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PrefixTableTest {
    /** Longest match agrees with a brute-force scan, first insertion winning on equal prefixes. */
    @Property(tries = 200)
    void longestMatchAgreesWithLinearScan(@ForAll long seed, @ForAll @IntRange(min = 1, max = 300) int n,
                                          @ForAll @Size(100) List<@IntRange(min = 0) Integer> probes) {
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
            assertThat(t.longestMatch(candidate)).isEqualTo(best == null ? null : "v" + best[2]);
        }
    }
}
