package dev.vpnrouter.config.bench;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.IosParser;
import dev.vpnrouter.config.ParseResult;
import dev.vpnrouter.policy.CryptoMapPolicy;
import dev.vpnrouter.policy.PolicyCompiler;
import dev.vpnrouter.policy.RouterPolicy;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Benchmark (not a test): parse, check and compile a generated hub configuration with one keyring entry, one
 * named crypto ACL and one static crypto map entry per spoke (7 lines a spoke), then time the per-packet lookups.
 * Prints the first (cold JVM) run and the best and median of warm runs.
 *
 * <pre>
 * ./mvnw -B -ntp -q test-compile
 * java -cp target/classes:target/test-classes dev.vpnrouter.config.bench.ConfigParseBench [SPOKES] [RUNS]
 * </pre>
 */
public final class ConfigParseBench {
    private ConfigParseBench() {
    }

    public static void main(String[] args) {
        int spokes = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        String text = generate(spokes);
        long lines = text.lines().count();
        System.out.printf(Locale.ROOT, "spokes %d, lines %d, bytes %d%n", spokes, lines, text.length());

        long s0 = System.nanoTime();
        ConfigLoader.load("!\n"); // class loading and the grammar tables, once per JVM
        long s1 = System.nanoTime();
        System.out.printf(Locale.ROOT, "start-up (classes + grammar): %.0f ms%n", ms(s1 - s0));

        long t0 = System.nanoTime();
        ParseResult first = ConfigLoader.load(text);
        long t1 = System.nanoTime();
        PolicyCompiler.Compiled compiled = PolicyCompiler.compile(first);
        long t2 = System.nanoTime();
        if (first.hasErrors() || !first.warnings().isEmpty() || !compiled.warnings().isEmpty()) {
            throw new IllegalStateException("generated config is not clean: " + first.diagnostics().subList(0,
                    Math.min(5, first.diagnostics().size())));
        }
        System.out.printf(Locale.ROOT, "first run (cold JIT): parse+check %.0f ms, compile %.0f ms%n", ms(t1 - t0),
                ms(t2 - t1));

        double[] parse = new double[runs];
        double[] load = new double[runs];
        double[] compile = new double[runs];
        for (int i = 0; i < runs; i++) {
            long a = System.nanoTime();
            IosParser.parse(text);
            long b = System.nanoTime();
            ParseResult r = ConfigLoader.load(text);
            long c = System.nanoTime();
            PolicyCompiler.compile(r);
            long d = System.nanoTime();
            parse[i] = ms(b - a);
            load[i] = ms(c - b);
            compile[i] = ms(d - c);
        }
        System.out.printf(Locale.ROOT, "warm (%d runs, best / median): parse %.0f / %.0f ms, parse+check %.0f / %.0f ms,"
                + " compile %.0f / %.0f ms%n", runs, min(parse), median(parse), min(load), median(load),
                min(compile), median(compile));

        lookups(compiled.policy(), new dev.vpnrouter.ike.cfg.ConfigPolicy(first.config()), spokes);
    }

    private static void lookups(RouterPolicy policy, dev.vpnrouter.ike.cfg.ConfigPolicy config, int spokes) {
        Random r = new Random(1);
        int n = 2_000_000;
        int[] peers = new int[1024];
        int[] inside = new int[1024];
        for (int i = 0; i < peers.length; i++) {
            int s = r.nextInt(spokes);
            peers[i] = spokePeer(s);
            inside[i] = spokeNet(s) + 7;
        }
        dev.vpnrouter.ike.cfg.CryptoMapDecision map = dev.vpnrouter.ike.cfg.CryptoMapDecision.of(config.cryptoMap());
        for (int round = 0; round < 3; round++) {
            long found = 0;
            long a = System.nanoTime();
            for (int i = 0; i < n; i++) {
                found += policy.keys().byAddress(peers[i & 1023]).isPresent() ? 1 : 0;
            }
            long b = System.nanoTime();
            for (int i = 0; i < n; i++) {
                found += map.protectingLine(Ipv4.parse("10.0.1.1") + (i & 255), inside[i & 1023], 6, 1234, 80) >= 0
                        ? 1 : 0;
            }
            long c = System.nanoTime();
            if (found != 2L * n) {
                throw new IllegalStateException("lookups missed: " + found);
            }
            System.out.printf(Locale.ROOT, "lookups round %d: psk by address %.0f ns, outbound entry %.0f ns%n",
                    round + 1, (double) (b - a) / n, (double) (c - b) / n);
        }
    }

    static int spokePeer(int i) {
        return Ipv4.parse("172.16.0.0") + i + 1;
    }

    static int spokeNet(int i) {
        return Ipv4.parse("10.128.0.0") + (i << 8);
    }

    /** A hub with {@code spokes} static spokes: 7 lines per spoke plus a short header. */
    static String generate(int spokes) {
        StringBuilder b = new StringBuilder(spokes * 260);
        b.append("hostname Hub\n!\ncrypto isakmp policy 10\n encr aes 256\n authentication pre-share\n group 14\n")
                .append("crypto ipsec transform-set ts esp-aes 256 esp-sha256-hmac\n!\n")
                .append("interface GigabitEthernet0/0\n ip address 192.0.2.1 255.255.255.0\n crypto map hub\n!\n")
                .append("crypto keyring spokes\n");
        for (int i = 0; i < spokes; i++) {
            b.append(" pre-shared-key address ").append(Ipv4.format(spokePeer(i))).append(" 255.255.255.255 key ")
                    .append("spoke-key-").append(i).append('\n');
        }
        for (int i = 0; i < spokes; i++) {
            b.append("ip access-list extended spoke-").append(i).append('\n')
                    .append(" permit ip 10.0.0.0 0.0.255.255 ").append(Ipv4.format(spokeNet(i)))
                    .append(" 0.0.0.255\n");
        }
        for (int i = 0; i < spokes; i++) {
            b.append("crypto map hub ").append(i + 1).append(" ipsec-isakmp\n")
                    .append(" set peer ").append(Ipv4.format(spokePeer(i))).append('\n')
                    .append(" set transform-set ts\n")
                    .append(" match address spoke-").append(i).append('\n');
        }
        return b.append("end\n").toString();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double min(double[] a) {
        return Arrays.stream(a).min().orElse(0);
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
