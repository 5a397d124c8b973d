package dev.vpnrouter.interop;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.Datagram;
import dev.vpnrouter.ike.HostCore;
import dev.vpnrouter.ike.IkeEffect;
import dev.vpnrouter.ike.IkeEngine;
import dev.vpnrouter.ike.cfg.ConfigPolicy;
import dev.vpnrouter.ike.cfg.VpnClientProfile;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Issue 15's "1,000 client logins through one FreeRADIUS: logins per second, next to the local-user figure", on the
 * wire: our hub ({@code vpnrouter run}, the seed hub.cfg) in its namespace, FreeRADIUS 3.2 on its LAN host, and in
 * the client namespace one JVM driving many instances of our client role (each a {@link HostCore} with its own
 * engine and its own address, {@code 192.0.2.100-...}, UDP 500): Aggressive Mode, Xauth, Mode Config and Quick Mode
 * with the hub, then a Delete, {@code concurrency} logins at a time. Run once with Xauth against a local user
 * ({@code aaa authentication login clientauth local}) and once through FreeRADIUS ({@code group radius}). A
 * benchmark, not a test (surefire runs it only when named; its name is no test's): root and FreeRADIUS required.
 * {@code ./mvnw -B -o test -Pinterop -Dtest=XauthLoginsBenchmark -Dbench.logins=1000 -Dbench.concurrency=32}.
 */
@Interop
public final class XauthLoginsBenchmark {
    private static final String SECRET = "bench-secret";
    private static final int FIRST_CLIENT = Ipv4.parse("192.0.2.100");

    /** Both runs, each bounded (a login not up in 30 s counts as failed; the whole run at most 10 min). */
    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.Timeout(1_500)
    void localUsersThenFreeRadius() throws Exception {
        int logins = Integer.getInteger("bench.logins", 1_000);
        int concurrency = Integer.getInteger("bench.concurrency", 32);
        Prerequisites.require("ip", "freeradius");
        for (boolean radius : new boolean[] {false, true}) {
            Result r = run(logins, concurrency, radius);
            System.out.printf(Locale.ROOT, "%s: %d logins (%d failed), %d at a time, in %.2f s: %.0f logins/s"
                            + "; load %s%n", radius ? "RADIUS" : "local ", r.done, r.failed, concurrency,
                    r.seconds, r.done / r.seconds, Files.readString(Path.of("/proc/loadavg")).strip());
            org.assertj.core.api.Assertions.assertThat(r.done).as("logins done").isEqualTo(logins);
        }
    }

    record Result(int done, int failed, double seconds) {
    }

    private static Result run(int logins, int concurrency, boolean radius) throws Exception {
        Path work = Topology.workDir("xauth-logins-" + (radius ? "radius-" : "local-") + ProcessHandle.current()
                .pid());
        try (Topology t = Topology.builder(work).spokeDhcp(false).client(Topology.ClientMode.DIRECT).build()) {
            Daemon fr = null;
            if (radius) {
                Path raddb = work.resolve("raddb");
                Files.createDirectories(raddb);
                Files.writeString(raddb.resolve("radiusd.conf"), new String(XauthLoginsBenchmark.class
                        .getResourceAsStream("/freeradius/radiusd.conf").readAllBytes(), StandardCharsets.UTF_8)
                        .replace("@LISTEN@", Topology.HUB_HOST).replace("@CLIENT@", Topology.HUB_INSIDE)
                        .replace("@SECRET@", SECRET).replace("\tauth = yes", "\tauth = no"));
                Files.writeString(raddb.resolve("users"), "benchuser Cleartext-Password := \"benchpw\"\n");
                Daemon started = t.hubHost().start("freeradius", work.resolve("freeradius.log"),
                        List.of("freeradius", "-f", "-d", raddb.toString()));
                Thread.sleep(2_000);
                if (!started.isAlive()) {
                    throw new IllegalStateException("FreeRADIUS did not start: " + started.log());
                }
                fr = started;
            }
            String hubText = EngineStrongSwanInteropTest.seed("hub.cfg")
                    .replace("aaa authentication login clientauth local", "aaa authentication login clientauth "
                            + (radius ? "group radius" : "local"))
                    .replace("\nend", "\nusername benchuser password 0 benchpw\n"
                            + (radius ? "radius server FR\n address ipv4 " + Topology.HUB_HOST
                            + " auth-port 1812 acct-port 1813\n key " + SECRET + "\nradius-server timeout 2\n" : "")
                            + "end");
            if (radius) {
                hubText = hubText.replace("username benchuser password 0 benchpw\n", "");
            }
            Path hubCfg = work.resolve("hub.cfg");
            Files.writeString(hubCfg, hubText);
            Daemon hub = t.hub().startJava("our-hub", work.resolve("our-hub.out"), "dev.vpnrouter.app.Main", "run",
                    "--config", hubCfg.toString());
            hub.awaitLog(Pattern.compile("listening for IKE on "), Duration.ofSeconds(30));
            for (int i = 0; i < concurrency; i++) {
                t.client().addAddress(Topology.OUTSIDE_IF, Ipv4.format(FIRST_CLIENT + i) + "/32");
            }
            Result r = t.client().call(() -> drive(logins, concurrency));
            hub.stop(Duration.ofSeconds(15));
            if (fr != null) {
                fr.stop(Duration.ofSeconds(5));
            }
            return r;
        }
    }

    /** One client role at one address: a login in progress, from connect to its IPsec SA, then its Delete. */
    private static final class Client implements HostCore.Shell {
        final int address;
        final DatagramChannel channel;
        HostCore core;
        boolean up;
        long startedAt;

        Client(int address, DatagramChannel channel) {
            this.address = address;
            this.channel = channel;
        }

        @Override
        public void send(Datagram datagram, byte[] wire) {
            try {
                channel.send(ByteBuffer.wrap(wire), new InetSocketAddress(Ipv4.format(datagram.dst()),
                        datagram.dstPort()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void installed(ChildSa child) {
            up = true;
        }

        @Override
        public void authenticate(IkeEffect.Authenticate request) {
        }

        @Override
        public void authorizeGroup(IkeEffect.AuthorizeGroup request) {
        }

        @Override
        public void account(IkeEffect.Account record) {
        }
    }

    private static Result drive(int logins, int concurrency) throws Exception {
        int hub = Ipv4.parse(Topology.HUB_OUTSIDE);
        VpnClientProfile profile = VpnClientProfile.of(hub, SeedPeers.GROUP, SeedPeers.GROUP_KEY.getBytes(
                StandardCharsets.US_ASCII), "benchuser", "benchpw");
        ConfigPolicy policy = ConfigPolicy.forVpnClient("bench-client");
        SecureRandom random = new SecureRandom();
        Selector selector = Selector.open();
        List<Client> slots = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            DatagramChannel ch = DatagramChannel.open();
            ch.bind(new InetSocketAddress(Ipv4.format(FIRST_CLIENT + i), 500));
            ch.configureBlocking(false);
            Client c = new Client(FIRST_CLIENT + i, ch);
            ch.register(selector, SelectionKey.OP_READ, c);
            slots.add(c);
        }
        int started = 0;
        int done = 0;
        int failed = 0;
        long t0 = System.nanoTime();
        long deadline = System.currentTimeMillis() + 600_000;
        ByteBuffer buffer = ByteBuffer.allocate(65_536);
        while (done + failed < logins && System.currentTimeMillis() < deadline) {
            long now = System.currentTimeMillis();
            for (Client c : slots) {
                if (c.core == null && started < logins) {
                    c.core = new HostCore(new IkeEngine(policy, c.address, random), c);
                    c.up = false;
                    c.startedAt = now;
                    started++;
                    long at = now;
                    c.core.run(e -> e.connectClient(profile, at));
                }
            }
            selector.select(20);
            for (SelectionKey k : selector.selectedKeys()) {
                Client c = (Client) k.attachment();
                buffer.clear();
                InetSocketAddress from = (InetSocketAddress) c.channel.receive(buffer);
                if (from == null || c.core == null) {
                    continue;
                }
                buffer.flip();
                c.core.receiveUdp(buffer.array(), 0, buffer.limit(), Ipv4.parse(from.getAddress().getHostAddress()),
                        from.getPort(), c.address, 500, System.currentTimeMillis());
            }
            selector.selectedKeys().clear();
            now = System.currentTimeMillis();
            for (Client c : slots) {
                if (c.core == null) {
                    continue;
                }
                if (c.core.nextTimerMillis() <= now) {
                    c.core.tick(now);
                }
                if (c.up) {
                    long at = now;
                    c.core.run(e -> e.shutdown(at)); // its Delete frees the hub's pool address
                    c.core = null;
                    done++;
                } else if (now - c.startedAt > 30_000) {
                    c.core = null;
                    failed++;
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (Client c : slots) {
            c.channel.close();
        }
        selector.close();
        return new Result(done, failed, seconds);
    }
}
