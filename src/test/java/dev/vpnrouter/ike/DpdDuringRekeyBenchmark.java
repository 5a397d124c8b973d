package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.router.IkeIntake;
import dev.vpnrouter.sim.SimRouter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * While N tunnels rekey at once, how long a peer's DPD R-U-THERE waits for the hub's answer. N spokes (seed hub and
 * spoke policies) come up at t = 0; at 90% of the IPsec lifetime every spoke renews its pair (QM1) in the same
 * instant. Every 100th spoke (DPD every 10 s, quiet since) also has a R-U-THERE, and these N/100 probes arrive
 * spread over the wave, one every N/100th of its expected length in loop turns, while the Quick Modes and their
 * QM3s are being worked through. The hub's datagrams go through the runtime's {@link IkeIntake} and are served
 * as {@code RouterRuntime}'s loop serves them (Informationals first, then {@code DATAGRAMS_PER_TURN} others, then
 * the hub's timers); the spokes answer at once, their answers (QM3) queued behind. The wait counts the hub's time
 * only (its receive, drain and tick calls, as if the spokes ran elsewhere) from a probe's arrival to its answer.
 * {@code fifo} serves in arrival order instead, as the loop did before {@link IkeIntake}. The hub itself does not
 * probe (its DPD is off), so only the peers' probes are timed.
 *
 * <pre>
 * ./mvnw -q -o test-compile && java -cp target/classes:target/test-classes dev.vpnrouter.ike.DpdDuringRekeyBenchmark 5000 [fifo]
 * </pre>
 */
public final class DpdDuringRekeyBenchmark {
    private static final int DPD_SECONDS = 10;
    /** As {@code RouterRuntime.DATAGRAMS_PER_TURN}. */
    private static final int PER_TURN = 16;

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        boolean fifo = args.length > 1 && args[1].equals("fifo");
        int hubAddress = Ipv4.parse("203.0.113.2");
        TestPolicy hubPolicy = TestPolicy.seedHub();
        IkeEngine hub = new IkeEngine(hubPolicy, hubAddress, SimRouter.seededRandom(1));
        int base = Ipv4.parse("100.64.0.1");
        IkeEngine[] spokes = new IkeEngine[n];
        for (int i = 0; i < n; i++) {
            int net = Ipv4.parse("10.128.0.0") + (i << 8);
            TestPolicy p = TestPolicy.seedSpoke(hubAddress, Ipv4.format(net) + " 255.255.255.0 10.1.0.0 255.255.0.0");
            p.dpd = i % 100 == 0 ? DPD_SECONDS : 0;
            spokes[i] = new IkeEngine(p, base + i, SimRouter.seededRandom(10L + i));
            spokes[i].connectAll(0);
            ArrayDeque<Datagram> pending = new ArrayDeque<>(sends(spokes[i].drain()));
            while (!pending.isEmpty()) {
                hub.receive(pending.poll(), 0);
                for (Datagram r : sends(hub.drain())) {
                    spokes[i].receive(r, 0);
                    pending.addAll(sends(spokes[i].drain()));
                }
            }
        }
        if (hub.childSas().size() != n) {
            throw new IllegalStateException("only " + hub.childSas().size() + " of " + n + " tunnels came up");
        }
        long life = hub.childSas().iterator().next().lifetimeSeconds() * 1000;
        long wave = life * 9 / 10; // past every spoke's jittered soft lifetime (85-90%)
        IkeIntake intake = new IkeIntake(false, 4 * n + 16, Long.MAX_VALUE);
        ArrayDeque<IkeIntake.Received> arrival = new ArrayDeque<>();
        int rekeys = 0;
        ArrayDeque<IkeIntake.Received> later = new ArrayDeque<>();
        for (IkeEngine spoke : spokes) {
            spoke.tick(wave);
            for (Datagram d : sends(spoke.drain())) {
                IkeIntake.Received r = new IkeIntake.Received(d.data(), d.src(), d.srcPort());
                if (informational(d.data())) {
                    later.add(r);
                } else {
                    rekeys++;
                    if (fifo) {
                        arrival.add(r);
                    } else {
                        intake.offer(r);
                    }
                }
            }
        }
        int probes = later.size();
        // The wave takes about 2N datagrams (QM1, QM3) at PER_TURN a turn: a probe every that many turns / probes.
        int every = Math.max(1, 2 * n / PER_TURN / Math.max(1, probes));
        java.util.Map<Integer, Long> releasedAt = new java.util.HashMap<>();
        List<Long> answers = new ArrayList<>();
        long[] hubNanos = {0};
        IkeIntake.Handler handler = r -> {
            boolean probe = informational(r.data());
            long t0 = System.nanoTime();
            hub.receive(new Datagram(r.fromAddress(), r.fromPort(), hubAddress, 500, r.data()), wave);
            List<Datagram> out = sends(hub.drain());
            hubNanos[0] += System.nanoTime() - t0;
            Long released = probe ? releasedAt.remove(r.fromAddress()) : null;
            if (released != null && !out.isEmpty() && r.fromAddress() == out.getFirst().dst()) {
                answers.add(hubNanos[0] - released); // the ACK of the spoke's R-U-THERE
            }
            for (Datagram d : out) {
                IkeEngine spoke = spokes[d.dst() - base];
                spoke.receive(d, wave);
                for (Datagram back : sends(spoke.drain())) {
                    IkeIntake.Received b = new IkeIntake.Received(back.data(), back.src(), back.srcPort());
                    if (fifo) {
                        arrival.add(b);
                    } else {
                        intake.offer(b);
                    }
                }
            }
        };
        int turns = 0;
        while (fifo ? !arrival.isEmpty() || !later.isEmpty() : !intake.isEmpty() || !later.isEmpty()) {
            if (turns % every == 0 && !later.isEmpty()) {
                IkeIntake.Received probe = later.poll();
                releasedAt.put(probe.fromAddress(), hubNanos[0]);
                if (fifo) {
                    arrival.add(probe);
                } else {
                    intake.offer(probe);
                }
            }
            if (fifo) {
                for (int i = 0; i < PER_TURN && !arrival.isEmpty(); i++) {
                    handler.handle(arrival.poll());
                }
            } else {
                intake.serve(handler, PER_TURN);
            }
            long t0 = System.nanoTime();
            hub.tick(wave);
            List<IkeEffect> timed = hub.drain();
            hubNanos[0] += System.nanoTime() - t0;
            for (Datagram d : sends(timed)) { // the hub's own probes and retransmissions
                IkeEngine spoke = spokes[d.dst() - base];
                spoke.receive(d, wave);
                for (Datagram back : sends(spoke.drain())) {
                    IkeIntake.Received b = new IkeIntake.Received(back.data(), back.src(), back.srcPort());
                    if (fifo) {
                        arrival.add(b);
                    } else {
                        intake.offer(b);
                    }
                }
            }
            turns++;
        }
        long wall = hubNanos[0];
        long renewed = hub.childSas().stream().filter(c -> c.createdAtMillis() == wave).count();
        long[] sorted = answers.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("%s, %d tunnels: %d rekey QM1s at once, %d R-U-THEREs during the wave; %d pairs renewed in %.0f ms "
                        + "of hub time (%d loop turns); R-U-THERE answered: %d, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                fifo ? "FIFO" : "IkeIntake", n, rekeys, probes, renewed, wall / 1e6, turns, sorted.length,
                pct(sorted, 50) / 1e6, pct(sorted, 99) / 1e6, sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
        if (sorted.length != probes) {
            throw new IllegalStateException(sorted.length + " of " + probes + " R-U-THEREs answered");
        }
    }

    private static boolean informational(byte[] d) {
        return d.length > 18 && d[18] == 5;
    }

    private static long pct(long[] sorted, int p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static List<Datagram> sends(List<IkeEffect> effects) {
        List<Datagram> out = new ArrayList<>();
        for (IkeEffect e : effects) {
            if (e instanceof IkeEffect.Send s) {
                out.add(s.datagram());
            }
        }
        return out;
    }
}
