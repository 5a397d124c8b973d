package dev.vpnrouter.interop;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.RadiusGroups;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.policy.LoginMethods;
import dev.vpnrouter.radius.RadiusLogins;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Xauth's RADIUS login as a hub of a cluster makes it, against FreeRADIUS on PostgreSQL ({@link PostgresRadius}: the
 * user and its group from SQL, an address from sqlippool, the Simultaneous-Use count over radacct, radpostauth
 * written): sequential latency (p50, p99) of one user logging in again and again (sqlippool gives its address back),
 * then N distinct users 32 at a time (logins per second; every login must pass and every address must differ).
 * The hub's RADIUS client in one namespace, FreeRADIUS (threaded, no debug log) and PostgreSQL in another. A benchmark, not a test: root
 * required. {@code java ... dev.vpnrouter.interop.SqlRadiusLoginBenchmark [sequential] [users] [rounds]}.
 */
public final class SqlRadiusLoginBenchmark {
    private static final String SECRET = "sql-bench-secret";
    private static final String HUB = "192.0.2.1";
    private static final String RADIUS = "192.0.2.10";

    private SqlRadiusLoginBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int sequential = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int users = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        PostgresRadius.requirePrograms();
        Path work = Topology.workDir("sql-login-bench-" + ProcessHandle.current().pid());
        RouterConfig config = ConfigLoader.load("""
                aaa new-model
                aaa authentication login clientauth group radius
                radius server FR
                 address ipv4 %s auth-port 1812 acct-port 1813
                 key %s
                radius-server timeout 2
                radius-server retransmit 1
                """.formatted(RADIUS, SECRET)).config();
        int nas = Ipv4.parse(HUB);
        try (NetNs.Pair pair = NetNs.Pair.linked("hub", HUB + "/24", "aaa", RADIUS + "/24", "rad0");
             PostgresRadius aaa = PostgresRadius.start(pair.right(), work, PostgresRadius.Settings.of(RADIUS,
                     SECRET, HUB), false)) {
            // user1 logs in sequentially; user2 .. user(N+1) at once.
            aaa.sql("INSERT INTO radcheck (username, attribute, op, value) SELECT 'user' || n,"
                    + " 'Cleartext-Password', ':=', 'pw' || n FROM generate_series(1, " + (users + 1) + ") AS n");
            aaa.sql("INSERT INTO radusergroup (username, groupname, priority) SELECT 'user' || n, 'vpnusers', 1"
                    + " FROM generate_series(1, " + (users + 1) + ") AS n");
            aaa.addGroupCheck("vpnusers", "Simultaneous-Use", ":=", "1");
            aaa.addGroupReply("vpnusers", "Cisco-AVPair", "+=", "ipsec:dns-servers=10.2.2.2");
            int poolSize = users + 1;
            aaa.addPool("vpnusers", "sqlpool", "10.64.0.1", Ipv4.format(Ipv4.parse("10.64.0.1") + poolSize - 1));
            try (RadiusLogins radius = new RadiusLogins(RadiusGroups.of(config))) {
                // The first login makes the client's socket: in the hub's namespace.
                RadiusLogins.Verdict first = pair.left().call(() -> radius.authenticate("radius", "user1", "pw1", nas,
                        "198.51.100.1"));
                if (first.result() != LoginMethods.Result.PASS) {
                    throw new IllegalStateException("first login: " + first);
                }
                for (int round = 1; round <= rounds; round++) {
                    long[] l = new long[sequential];
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
                    for (int i = 0; i < sequential; i++) {
                        long t0 = System.nanoTime();
                        RadiusLogins.Verdict v = radius.authenticate("radius", "user1", "pw1", nas, "198.51.100.1");
                        l[i] = System.nanoTime() - t0;
                        if (v.result() != LoginMethods.Result.PASS || v.authorization("user1").framedAddress() == 0) {
                            throw new IllegalStateException("sequential login " + i + ": " + v);
                        }
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("sequential logins over 300 s");
                        }
                    }
                    Arrays.sort(l);
                    // Free every lease but user1's so each round's users draw from the whole pool again.
                    aaa.sql("UPDATE radippool SET expiry_time = now() - interval '1 second', pool_key = '',"
                            + " username = '' WHERE pool_key <> 'user1'");
                    double rate = concurrent(radius, nas, users, aaa);
                    System.out.printf("round %d: %d sequential logins p50 %d us p99 %d us; %d users 32 at a time "
                            + "%.0f logins/s; load %s%n", round, sequential, l[sequential / 2] / 1000,
                            l[sequential * 99 / 100] / 1000, users, rate, loadAverage());
                }
            }
        }
    }

    private static double concurrent(RadiusLogins radius, int nas, int users, PostgresRadius aaa) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            long t0 = System.nanoTime();
            List<Future<RadiusLogins.Verdict>> all = new ArrayList<>();
            for (int i = 2; i <= users + 1; i++) {
                int n = i;
                all.add(pool.submit(() -> radius.authenticate("radius", "user" + n, "pw" + n, nas,
                        "203.0.113." + (n % 250))));
            }
            Set<Integer> addresses = new HashSet<>();
            for (int n = 0; n < all.size(); n++) {
                RadiusLogins.Verdict v = all.get(n).get(120, TimeUnit.SECONDS);
                if (v.result() != LoginMethods.Result.PASS) {
                    throw new IllegalStateException("a login failed: " + v);
                }
                int address = v.authorization("user" + n).framedAddress();
                if (address == 0 || !addresses.add(address)) {
                    throw new IllegalStateException("no address, or one given twice: " + Ipv4.format(address));
                }
            }
            double rate = users / ((System.nanoTime() - t0) / 1e9);
            if (aaa.leases().stream().filter(PostgresRadius.Lease::held).count() != users + 1) {
                throw new IllegalStateException("radippool does not hold one lease per user");
            }
            return rate;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
