package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.cfg.VpnClientProfile;
import dev.vpnrouter.sim.SimRouter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A real exchange between the seed's hub and one peer, pumped in lockstep with seeded randoms, so that stopping
 * it after {@code n} deliveries rebuilds exactly the same engines (same cookies, keys, IVs) every time. Fuzz
 * targets and bad-input tests use it to put a hostile message in place of the real {@code n}-th one.
 */
final class ExchangeReplay {
    static final int HUB = Ipv4.parse("203.0.113.2");
    static final int SPOKE = Ipv4.parse("198.51.100.146");
    static final int CLIENT = Ipv4.parse("198.51.100.200");

    /** Which peer talks to the hub. */
    enum Peer {
        /** The seed's spoke: Main Mode, Quick Mode. */
        SPOKE,
        /** A VPN client: Aggressive Mode, Xauth, Mode Config, Quick Mode. */
        CLIENT
    }

    final Peer kind;
    final IkeEngine hub;
    final IkeEngine peer;
    final TestPolicy hubPolicy;
    /** Every datagram delivered so far, in order. */
    final List<Datagram> delivered = new ArrayList<>();
    /** The hub's log lines (refusals always; everything with debug on) while this replay delivered. */
    final List<String> hubLog = new ArrayList<>();
    private final ArrayDeque<Datagram> queue = new ArrayDeque<>();

    private ExchangeReplay(Peer kind, TestPolicy hubPolicy) {
        this(kind, hubPolicy, new IkeEngine(hubPolicy, HUB, SimRouter.seededRandom(11)), kind == Peer.SPOKE
                ? TestPolicy.seedSpoke(HUB, "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0") : TestPolicy.client(),
                kind == Peer.SPOKE ? SPOKE : CLIENT, clientProfile("gfullage"));
    }

    /** A peer of the given policy and address (and, for a client, profile) talking to {@code hub}. */
    ExchangeReplay(Peer kind, TestPolicy hubPolicy, IkeEngine hub, TestPolicy peerPolicy, int peerAddress,
            VpnClientProfile profile) {
        this.kind = kind;
        this.hubPolicy = hubPolicy;
        this.hub = hub;
        peer = new IkeEngine(peerPolicy, peerAddress, SimRouter.seededRandom((kind == Peer.SPOKE ? 12 : 13)
                + (peerAddress == SPOKE || peerAddress == CLIENT ? 0 : peerAddress)));
        if (kind == Peer.SPOKE) {
            peer.connectAll(0);
        } else {
            peer.connectClient(profile, 0);
        }
        queue.addAll(EngineBadInputTest.sends(peer.drain()));
    }

    static VpnClientProfile clientProfile(String password) {
        return VpnClientProfile.of(HUB, "testgroup", "cisco321".getBytes(StandardCharsets.US_ASCII), "gfullage",
                password);
    }

    /** A fresh exchange, nothing delivered yet (the peer's first message is queued). */
    static ExchangeReplay start(Peer kind) {
        return new ExchangeReplay(kind, TestPolicy.seedHub());
    }

    static ExchangeReplay start(Peer kind, TestPolicy hubPolicy) {
        return new ExchangeReplay(kind, hubPolicy);
    }

    /** The exchange after {@code n} deliveries. */
    static ExchangeReplay after(Peer kind, int n) {
        ExchangeReplay r = start(kind);
        r.deliver(n);
        return r;
    }

    /** The datagram that would be delivered next, or null when the exchange is over. */
    Datagram next() {
        return queue.peekFirst();
    }

    /** Delivers up to {@code n} queued datagrams, each to the engine it is addressed to. */
    ExchangeReplay deliver(int n) {
        for (int i = 0; i < n && !queue.isEmpty(); i++) {
            Datagram d = queue.pollFirst();
            delivered.add(d);
            IkeEngine to = engineAt(d.dst());
            to.receive(d, 0);
            List<IkeEffect> effects = to.drain();
            queue.addAll(EngineBadInputTest.sends(effects));
            if (to == hub) {
                for (IkeEffect fx : effects) {
                    if (fx instanceof IkeEffect.Debug dbg) {
                        hubLog.add(dbg.line());
                    } else if (fx instanceof IkeEffect.Log l) {
                        hubLog.add(l.message().format());
                    }
                }
            }
        }
        return this;
    }

    /** Queues what an engine sent outside the exchange (a test's own message), to be delivered in turn. */
    ExchangeReplay queueSends(List<IkeEffect> effects) {
        queue.addAll(EngineBadInputTest.sends(effects));
        return this;
    }

    /** Runs the exchange to its end. */
    ExchangeReplay finish() {
        return deliver(100);
    }

    /** Drops the queued next datagram (it is replaced by what the caller delivers instead). */
    Datagram skip() {
        return queue.pollFirst();
    }

    IkeEngine engineAt(int address) {
        return address == HUB ? hub : peer;
    }

    /** The engine's only ISAKMP SA (the one this exchange made). */
    static IkeSa onlySa(IkeEngine e) {
        for (IkeSaView v : e.ikeSas()) {
            return (IkeSa) v;
        }
        return null;
    }
}
