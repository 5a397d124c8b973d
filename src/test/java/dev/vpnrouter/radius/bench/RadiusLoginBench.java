package dev.vpnrouter.radius.bench;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.RadiusGroups;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.ike.cfg.ConfigPolicy;
import dev.vpnrouter.policy.LoginMethods;
import dev.vpnrouter.radius.RadiusLogins;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Xauth's login check through RADIUS against a real FreeRADIUS 3.2 on this machine (loopback, started and stopped
 * here, as root), next to the same check against a local user: sequential latency (p50, p99) and 1,000 logins with
 * 32 at a time (logins per second). Bounded in count and time; every login must pass or the run stops.
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.vpnrouter.radius.bench.RadiusLoginBench 2000
 * </pre>
 */
public final class RadiusLoginBench {
    private static final String SECRET = "bench-secret";

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        long pid = ProcessHandle.current().pid();
        String listen = "127.15." + (pid % 250) + ".1";
        Path work = Files.createTempDirectory("radius-bench-" + pid);
        String conf = new String(RadiusLoginBench.class.getResourceAsStream("/freeradius/radiusd.conf")
                .readAllBytes(), StandardCharsets.UTF_8).replace("@LISTEN@", listen)
                .replace("@CLIENT@", "127.0.0.0/8").replace("@SECRET@", SECRET)
                .replace("auth = yes", "auth = no");
        Files.writeString(work.resolve("radiusd.conf"), conf);
        Files.write(work.resolve("users"), RadiusLoginBench.class.getResourceAsStream("/freeradius/users")
                .readAllBytes());
        Process radiusd = new ProcessBuilder("freeradius", "-f", "-d", work.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("freeradius.log").toFile()).start();
        RouterConfig config = ConfigLoader.load("""
                aaa new-model
                aaa authentication login radius group radius
                aaa authentication login local local
                username gfullage password 7 0201024E070A0E2649
                radius server FR
                 address ipv4 %s auth-port 1812 acct-port 1813
                 key %s
                radius-server timeout 2
                radius-server retransmit 1
                """.formatted(listen, SECRET)).config();
        ConfigPolicy policy = new ConfigPolicy(config);
        int nas = Ipv4.parse("127.0.0.1");
        try (RadiusLogins radius = new RadiusLogins(RadiusGroups.of(config))) {
            long readyBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (radius.login("radius", "radiususer", "radiuspw", nas, "192.0.2.2") != LoginMethods.Result.PASS) {
                if (System.nanoTime() > readyBy || !radiusd.isAlive()) {
                    throw new IllegalStateException("FreeRADIUS did not answer: " + Files.readString(
                            work.resolve("freeradius.log")));
                }
                Thread.sleep(200);
            }
            java.util.function.BooleanSupplier viaRadius = () -> policy.authenticate("radius", "radiususer",
                    "radiuspw", g -> radius.login(g, "radiususer", "radiuspw", nas, "192.0.2.2"));
            java.util.function.BooleanSupplier viaLocal = () -> policy.authenticate("local", "gfullage",
                    "gfullage", g -> LoginMethods.Result.ERROR);
            for (int round = 1; round <= 2; round++) {
                long[] r = latencies(viaRadius, n);
                long[] l = latencies(viaLocal, n);
                System.out.printf("round %d, %d sequential logins: RADIUS p50 %d us p99 %d us; local p50 %d us "
                        + "p99 %d us; added p50 %d us p99 %d us%n", round, n, r[n / 2] / 1000, r[n * 99 / 100] / 1000,
                        l[n / 2] / 1000, l[n * 99 / 100] / 1000, (r[n / 2] - l[n / 2]) / 1000,
                        (r[n * 99 / 100] - l[n * 99 / 100]) / 1000);
                System.out.printf("round %d, 1,000 logins 32 at a time: RADIUS %.0f/s, local %.0f/s%n", round,
                        rate(viaRadius), rate(viaLocal));
            }
        } finally {
            radiusd.destroy();
            radiusd.waitFor(5, TimeUnit.SECONDS);
            radiusd.destroyForcibly();
        }
    }

    private static long[] latencies(java.util.function.BooleanSupplier login, int n) {
        long[] out = new long[n];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            if (!login.getAsBoolean()) {
                throw new IllegalStateException("login " + i + " failed");
            }
            out[i] = System.nanoTime() - t0;
            if (out[i] + t0 > deadline) {
                throw new IllegalStateException("over 120 s");
            }
        }
        Arrays.sort(out);
        return out;
    }

    private static double rate(java.util.function.BooleanSupplier login) throws Exception {
        try (var pool = Executors.newFixedThreadPool(32)) {
            long t0 = System.nanoTime();
            List<Future<Boolean>> all = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                all.add(pool.submit(login::getAsBoolean));
            }
            for (Future<Boolean> f : all) {
                if (!f.get(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("a login failed");
                }
            }
            return 1000 / ((System.nanoTime() - t0) / 1e9);
        }
    }
}
