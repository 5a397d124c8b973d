package dev.vpnrouter.ike;

import dev.vpnrouter.ike.cfg.ChildPolicy;

import java.util.Arrays;

/**
 * What a router host does around its {@link IkeEngine}, the same in the lab ({@code sim.SimRouter}) and on Linux
 * ({@code router.RouterRuntime}), so that the lab proves what {@code run} does. Sans-IO: datagrams and time in,
 * calls to the host's {@link Shell} out. It sorts what arrives on 4500 (RFC 3948: non-ESP marker = IKE, one 0xff
 * byte = NAT keepalive, else ESP), carries out the engine's effects, moves the router to a new outside address
 * (Deletes for every SA first, from the old address where the shell can, then the static crypto map entries again
 * {@link #RECONNECT_DELAY_MILLIS} later unless the peer or traffic was first), and answers an acquire.
 * Not thread-safe: the host's one loop drives it.
 */
public final class HostCore {
    /** Where effects go: the host's sockets, data plane and logs. Every method runs on the host's loop. */
    public interface Shell {
        /** Sends an IKE datagram; {@code wire} is its payload as it goes out (with the marker on 4500). */
        void send(Datagram datagram, byte[] wire);

        /** ESP in UDP arrived on 4500: {@code buffer[off, off+len)}, valid only during the call. */
        default void espInUdp(byte[] buffer, int off, int len, int fromAddress, int fromPort) {
        }

        /** Every effect, before it is carried out (observers: metrics, tests). */
        default void observe(IkeEffect effect) {
        }

        default void installed(ChildSa child) {
        }

        default void deleted(ChildSa child, String reason) {
        }

        default void debug(String line) {
        }

        /** One of the router's messages, to be logged as its {@code logging} commands say. */
        default void message(dev.vpnrouter.syslog.RouterMessage message) {
        }

        default void keyLog(IkeEffect.KeyLog keys) {
        }

        default void clientConfigured(IkeEffect.ClientConfigured configured) {
        }

        /**
         * Xauth waits for AAA servers: check {@code request} off the engine's thread and give the verdict to
         * {@link HostCore#authenticated} on it. Every shell answers; one without servers answers at once.
         */
        void authenticate(IkeEffect.Authenticate request);

        /**
         * Aggressive Mode waits for a group's policy from AAA servers: ask off the engine's thread and give the
         * answer to {@link HostCore#groupAuthorized} on it. Every shell answers; one without servers at once.
         */
        void authorizeGroup(IkeEffect.AuthorizeGroup request);

        /**
         * A VPN session's accounting record: counters read now (its IPsec SAs are still installed), sent off the
         * engine's thread; a shell without servers drops it, counted.
         */
        void account(IkeEffect.Account record);
    }

    /** What a move did: the ISAKMP SAs it deleted, and whether the static entries come up again by themselves. */
    public record Move(int oldAddress, int newAddress, int ikeSasDeleted, boolean reconnecting) {
    }

    /**
     * After a move, how long to leave the peer the first word before bringing static entries up again: a peer
     * that takes our Deletes from the new address as an endpoint change (strongSwan over NAT-T) re-initiates to
     * us at once, and if we initiated too, each side would hold two ISAKMP SAs.
     */
    public static final long RECONNECT_DELAY_MILLIS = 2_000;

    private static final byte[] NON_ESP_MARKER = {0, 0, 0, 0};

    private final IkeEngine engine;
    private final Shell shell;
    private long reconnectAtMillis = Long.MAX_VALUE;

    public HostCore(IkeEngine engine, Shell shell) {
        this.engine = engine;
        this.shell = shell;
    }

    public IkeEngine engine() {
        return engine;
    }

    /**
     * A UDP datagram for port {@code dstPort} (500 or 4500) in {@code buffer[off, off+len)}: IKE goes to the
     * engine, ESP in UDP to the shell, NAT keepalives nowhere. Effects are carried out before it returns.
     */
    public void receiveUdp(byte[] buffer, int off, int len, int src, int srcPort, int dst, int dstPort, long now) {
        byte[] isakmp;
        if (dstPort == Datagram.NAT_T_PORT) {
            if (len == 1 && buffer[off] == (byte) 0xff) {
                return; // NAT keepalive (RFC 3948 section 2.3)
            }
            if (len < 4 || buffer[off] != 0 || buffer[off + 1] != 0 || buffer[off + 2] != 0 || buffer[off + 3] != 0) {
                shell.espInUdp(buffer, off, len, src, srcPort);
                return;
            }
            isakmp = Arrays.copyOfRange(buffer, off + 4, off + len);
        } else {
            isakmp = Arrays.copyOfRange(buffer, off, off + len);
        }
        engine.receive(new Datagram(src, srcPort, dst, dstPort, isakmp), now);
        carryOut();
    }

    /** The verdict on an {@link IkeEffect.Authenticate}, on the engine's thread; its effects are carried out. */
    public void authenticated(IkeEffect.Authenticate request, boolean passed, long now) {
        authenticated(request, passed, dev.vpnrouter.policy.UserAuthorization.NONE, now);
    }

    /** As {@link #authenticated(IkeEffect.Authenticate, boolean, long)}, with what the server's Accept granted. */
    public void authenticated(IkeEffect.Authenticate request, boolean passed,
            dev.vpnrouter.policy.UserAuthorization authorization, long now) {
        engine.authenticated(request.connId(), request.ticket(), passed, authorization, now);
        carryOut();
    }

    /** A server's challenge in answer to an {@link IkeEffect.Authenticate}, on the engine's thread. */
    public void challenged(IkeEffect.Authenticate request, dev.vpnrouter.policy.LoginChallenge challenge, long now) {
        engine.challenged(request.connId(), request.ticket(), challenge, now);
        carryOut();
    }

    /** The answer to an {@link IkeEffect.AuthorizeGroup} (null: no server grants the group), on the engine's thread. */
    public void groupAuthorized(IkeEffect.AuthorizeGroup request, dev.vpnrouter.ike.cfg.ClientGroup group, long now) {
        engine.groupAuthorized(request.connId(), request.ticket(), group, now);
        carryOut();
    }

    /** Carries out everything the engine has queued. */
    public void carryOut() {
        for (IkeEffect effect : engine.drain()) {
            shell.observe(effect);
            switch (effect) {
                case IkeEffect.Send s -> shell.send(s.datagram(), wire(s.datagram()));
                case IkeEffect.InstallChild i -> shell.installed(i.child());
                case IkeEffect.DeleteChild d -> shell.deleted(d.child(), d.reason());
                case IkeEffect.Debug d -> shell.debug(d.line());
                case IkeEffect.KeyLog k -> shell.keyLog(k);
                case IkeEffect.ClientConfigured c -> shell.clientConfigured(c);
                case IkeEffect.Authenticate a -> shell.authenticate(a);
                case IkeEffect.AuthorizeGroup g -> shell.authorizeGroup(g);
                case IkeEffect.Account a -> shell.account(a);
                case IkeEffect.Log l -> shell.message(l.message());
                case IkeEffect.Refused r -> { } // for observers; its message came as a Log
                case IkeEffect.IkeUp up -> { }
                case IkeEffect.IkeDown down -> { }
            }
        }
    }

    /** A datagram's payload as it goes on the wire: with the non-ESP marker when either port is 4500. */
    static byte[] wire(Datagram d) {
        if (d.srcPort() != Datagram.NAT_T_PORT && d.dstPort() != Datagram.NAT_T_PORT) {
            return d.data();
        }
        byte[] marked = new byte[d.data().length + 4];
        System.arraycopy(NON_ESP_MARKER, 0, marked, 0, 4);
        System.arraycopy(d.data(), 0, marked, 4, d.data().length);
        return marked;
    }

    /** Lets the engine act (connect at start, operator commands), then carries out what it queued. */
    public void run(java.util.function.Consumer<IkeEngine> action) {
        action.accept(engine);
        carryOut();
    }

    /**
     * The outside address changed (a DHCP renumbering): every SA is deleted with a Delete to its peer, sent while
     * the shell can still send from the old address (the host rebinds around this call), then the engine takes
     * the new address. If an ISAKMP SA had been up and static entries exist, they come up again after
     * {@link #RECONNECT_DELAY_MILLIS}.
     */
    public Move move(int newAddress, long now) {
        int old = engine.localAddress();
        if (newAddress == old) {
            return new Move(old, old, 0, false);
        }
        int established = engine.establishedCount();
        int ikeSas = engine.ikeSaCount();
        engine.shutdown(now); // Deletes for every SA, from the old address
        carryOut();
        engine.changeLocalAddress(newAddress, now);
        carryOut();
        boolean reconnect = established > 0 && hasStaticPeers();
        if (reconnect) {
            reconnectAtMillis = now + RECONNECT_DELAY_MILLIS;
        }
        return new Move(old, newAddress, ikeSas, reconnect);
    }

    private boolean hasStaticPeers() {
        for (ChildPolicy entry : engine.policy().cryptoMap()) {
            if (!entry.dynamic() && !entry.peers().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Traffic matched an entry with no SA: the engine decides how to bring one up ({@link IkeEngine#acquire}). */
    public void acquire(ChildPolicy entry, ChildPolicy.SelectorPair pair, long now) {
        engine.acquire(entry, pair, now);
        carryOut();
    }

    /** When {@link #tick} must run next (the engine's timers, a pending reconnect); {@code Long.MAX_VALUE}: never. */
    public long nextTimerMillis() {
        return Math.min(engine.nextTimerMillis(), reconnectAtMillis);
    }

    /** Runs what is due at {@code now} and carries out its effects. */
    public void tick(long now) {
        if (engine.nextTimerMillis() <= now) {
            engine.tick(now);
        }
        if (reconnectAtMillis <= now) {
            reconnectAtMillis = Long.MAX_VALUE;
            engine.connectAll(now); // skips entries already up or being negotiated
        }
        carryOut();
    }
}
