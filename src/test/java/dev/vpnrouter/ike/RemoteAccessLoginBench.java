package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.cfg.AddressPoolConfig;
import dev.vpnrouter.ike.cfg.VpnClientProfile;
import dev.vpnrouter.sim.SimRouter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Remote-access logins per second against the hub engine in memory: each login is the whole seed client dialogue
 * (Aggressive Mode, Xauth, Mode Config pull, Quick Mode) between a fresh client engine and one hub engine running
 * the seed's hub policy, datagrams handed over directly. Reports the whole (both engines on one thread) and the
 * hub's share alone, i.e. what one hub core can take. Not a test; the command is in docs/benchmarks.md.
 *
 * <p>Usage: {@code RemoteAccessLoginBench [logins per round] [rounds]}.
 */
public final class RemoteAccessLoginBench {
    private static final int HUB = Ipv4.parse("203.0.113.2");

    private RemoteAccessLoginBench() {
    }

    public static void main(String[] args) {
        int logins = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        VpnClientProfile profile = VpnClientProfile.of(HUB, "testgroup",
                "cisco321".getBytes(StandardCharsets.US_ASCII), "gfullage", "gfullage");
        System.out.printf("%d logins per round, seed hub policy (3DES/SHA1/group 2, ESP 3DES/SHA1)%n", logins);
        for (int round = 1; round <= rounds; round++) {
            TestPolicy policy = TestPolicy.seedHub();
            policy.pools.put("ippool", AddressPoolConfig.of("ippool", Ipv4.parse("10.0.0.1"),
                    Ipv4.parse("10.0.255.254")));
            IkeEngine hub = new IkeEngine(policy, HUB, SimRouter.seededRandom(round));
            long[] hubNanos = {0};
            List<IkeEngine> clients = new ArrayList<>(logins);
            long start = System.nanoTime();
            for (int i = 0; i < logins; i++) {
                IkeEngine client = new IkeEngine(TestPolicy.client(), Ipv4.parse("100.64.0.0") + i,
                        SimRouter.seededRandom(round * 1_000_003L + i));
                client.connectClient(profile, 0);
                exchange(client, hub, hubNanos);
                if (client.childSas().size() != 1) {
                    throw new IllegalStateException("login " + i + " did not complete: "
                            + client.counters().lastFailure + " / hub: " + hub.counters().lastFailure);
                }
                clients.add(client);
            }
            long total = System.nanoTime() - start;
            long inUse = hub.addressPool("ippool").inUse();
            for (IkeEngine client : clients) {
                client.shutdown(0);
                exchange(client, hub, hubNanos);
            }
            System.out.printf("round %d: %,.0f logins/s both engines (%.0f us each), hub alone %,.0f logins/s"
                            + " (%.0f us each); pool %d in use, %d after logout%n", round,
                    logins * 1e9 / total, total / 1e3 / logins, logins * 1e9 / hubNanos[0],
                    hubNanos[0] / 1e3 / logins, inUse, hub.addressPool("ippool").inUse());
        }
    }

    /** Hands datagrams between the two engines until neither has anything to send (no loss, no delay). */
    private static void exchange(IkeEngine client, IkeEngine hub, long[] hubNanos) {
        ArrayDeque<Datagram> toHub = new ArrayDeque<>();
        ArrayDeque<Datagram> toClient = new ArrayDeque<>();
        collect(client, toHub);
        while (!toHub.isEmpty() || !toClient.isEmpty()) {
            while (!toHub.isEmpty()) {
                long t0 = System.nanoTime();
                hub.receive(toHub.poll(), 0);
                hubNanos[0] += System.nanoTime() - t0;
                collect(hub, toClient);
            }
            while (!toClient.isEmpty()) {
                client.receive(toClient.poll(), 0);
                collect(client, toHub);
            }
        }
    }

    private static void collect(IkeEngine engine, ArrayDeque<Datagram> out) {
        for (IkeEffect e : engine.drain()) {
            if (e instanceof IkeEffect.Send s) {
                out.add(s.datagram());
            }
        }
    }
}
