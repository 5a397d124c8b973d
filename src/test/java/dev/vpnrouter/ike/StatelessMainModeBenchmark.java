package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.sim.SimRouter;

import java.util.SplittableRandom;

/**
 * MM1s per second the seed hub engine answers statelessly ({@link MainModeCookies}), in memory: the engine's share
 * of a flood's cost, without sockets. 1,000 sources, a fresh initiator cookie per MM1, the half-open table full.
 *
 * <pre>
 * ./mvnw -q -o test-compile && java -cp target/classes:target/test-classes dev.vpnrouter.ike.StatelessMainModeBenchmark 500000
 * </pre>
 */
public final class StatelessMainModeBenchmark {
    public static void main(String[] args) {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        byte[] mm1 = EngineBadInputTest.recordSpokeToHub().getFirst().data();
        IkeEngine hub = new IkeEngine(TestPolicy.seedHub(), EngineBadInputTest.HUB, SimRouter.seededRandom(1));
        hub.mainModeCookiesFrom(0);
        System.out.printf("MM1 of %d bytes%n", mm1.length);
        SplittableRandom r = new SplittableRandom(2);
        int base = Ipv4.parse("100.64.0.0");
        for (int round = 1; round <= 3; round++) {
            long bytesIn = 0;
            long bytesOut = 0;
            long start = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                byte[] m = mm1.clone();
                long c = r.nextLong();
                for (int k = 0; k < 8; k++) {
                    m[k] = (byte) (c >>> (56 - 8 * k));
                }
                bytesIn += m.length;
                hub.receive(new Datagram(base + i % 1_000, 500, EngineBadInputTest.HUB, 500, m), i / 100);
                for (IkeEffect e : hub.drain()) {
                    if (e instanceof IkeEffect.Send s) {
                        bytesOut += s.datagram().data().length;
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("round %d: %,d MM1 in %.2f s: %,.0f/s; %d SAs; bytes out per byte in %.2f%n", round,
                    messages, seconds, messages / seconds, hub.ikeSaCount(), (double) bytesOut / bytesIn);
        }
    }
}
