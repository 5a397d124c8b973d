package dev.vpnrouter.esp.bench;

import dev.vpnrouter.esp.EspInboundSa;
import dev.vpnrouter.esp.EspOutboundSa;
import dev.vpnrouter.esp.EspTransform;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The same seal and open as {@link EspBenchmark}, timed in the thread's CPU time rather than wall time: on a
 * machine shared with other jobs, JMH's wall-clock scores grow with the load, CPU time per packet barely does.
 * Not a substitute for JMH (no forks, no blackholes: the results feed a checksum), a cross-check.
 * <pre>
 * java -cp target/test-classes:target/classes dev.vpnrouter.esp.bench.EspCpuTime [transform...]
 * </pre>
 */
public final class EspCpuTime {
    private static final int[] SIZES = {64, 512, 1400};
    private static final int RING = 1024;

    public static void main(String[] args) {
        List<String> names = args.length > 0 ? List.of(args) : List.of("gcm128", "aes128-sha1", "3des-sha1");
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sink = 0;
        System.out.println("transform     size   seal ns/pkt (CPU)   open ns/pkt (CPU)   Gbit/s at this size (seal/open)");
        for (String name : names) {
            EspTransform t = EspBenchmark.TRANSFORMS.get(name);
            for (int size : SIZES) {
                Random random = new Random(1);
                byte[] keymat = new byte[t.keymatLength()];
                random.nextBytes(keymat);
                byte[] inner = new byte[size];
                random.nextBytes(inner);
                inner[0] = 0x45;
                byte[] out = new byte[t.sealedLength(size) + 64];
                EspOutboundSa outbound = EspOutboundSa.builder(1, t, keymat).build();
                byte[][] sealed = new byte[RING][];
                for (int i = 0; i < RING; i++) {
                    sealed[i] = new byte[t.sealedLength(size)];
                    outbound.seal(inner, 0, size, sealed[i], 0);
                }
                EspInboundSa inbound = EspInboundSa.builder(1, t, keymat).replayWindow(0).build();
                int n = name.startsWith("3des") ? 4_000 : 40_000;
                double seal = 0;
                double open = 0;
                for (int round = 0; round < 4; round++) { // rounds 0-1 warm the JIT up, 2-3 are kept (the best)
                    long c0 = mx.getCurrentThreadCpuTime();
                    for (int i = 0; i < n; i++) {
                        sink += outbound.seal(inner, 0, size, out, 0);
                    }
                    long c1 = mx.getCurrentThreadCpuTime();
                    for (int i = 0; i < n; i++) {
                        byte[] p = sealed[i & (RING - 1)];
                        sink += inbound.open(p, 0, p.length, out, 0);
                    }
                    long c2 = mx.getCurrentThreadCpuTime();
                    if (round >= 2) {
                        double s = (c1 - c0) / (double) n;
                        double o = (c2 - c1) / (double) n;
                        seal = seal == 0 ? s : Math.min(seal, s);
                        open = open == 0 ? o : Math.min(open, o);
                    }
                }
                System.out.printf(Locale.ROOT, "%-12s %5d   %17.0f   %17.0f   %.2f / %.2f%n", name, size, seal, open,
                        size * 8 / seal, size * 8 / open);
            }
        }
        System.out.println("(checksum " + sink + ")");
    }
}
