package dev.vpnrouter.radius;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The RADIUS client of one server group, sans-IO: requests go in with a tag, datagrams and time come in, and what
 * to send and which requests ended come out as {@link Effect}s. No socket, clock or thread here.
 *
 * <p>As IOS does it (and RFC 5080 allows): a request goes to the first live server of the group and is sent again
 * with the same identifier and authenticator after each {@code timeout}, {@code retransmit} times; then that
 * server is marked dead for {@code deadtime} (when set) and the request moves to the next server, as a new request
 * (new identifier and authenticator, the password hidden again under that server's secret). When no server is
 * left the request ends with {@link Outcome.NoAnswer}, which is an ERROR in AAA terms: the method list may try its
 * next method. A response counts only from the server's own address and port, for an identifier in flight, and
 * with a valid Response Authenticator and Message-Authenticator; anything else is dropped and counted.
 */
public final class RadiusClient {
    /** One server: where it listens (authentication, and accounting) and the secret it shares with us. */
    public record Server(String name, int address, int port, int acctPort, byte[] secret) {
        public Server {
            if (secret.length == 0) {
                throw new IllegalArgumentException("RADIUS server " + name + " has no key");
            }
            secret = secret.clone();
        }

        /** A server that takes both kinds of request on {@code port}. */
        public Server(String name, int address, int port, byte[] secret) {
            this(name, address, port, port, secret);
        }

        /** Where a request of this kind goes. */
        public int portFor(boolean accounting) {
            return accounting ? acctPort : port;
        }

        @Override
        public byte[] secret() {
            return secret.clone();
        }

        @Override
        public String toString() {
            return "Server[" + name + "]"; // never the secret
        }
    }

    /**
     * IOS's {@code radius-server timeout} (5 s), {@code retransmit} (3) and {@code deadtime} (0: never dead), and
     * the most requests in flight at once: past it a request ends at once with {@link Outcome.NoAnswer}.
     */
    public record Settings(long timeoutMillis, int retransmits, long deadtimeMillis, int maxOutstanding,
            boolean requireMessageAuthenticator) {
        public static final Settings IOS_DEFAULTS = new Settings(5_000, 3, 0, 256, false);
    }

    /** What to carry out. */
    public sealed interface Effect {
        /** {@code datagram} to {@code server} on {@code port} (its accounting port for accounting). */
        record Send(Server server, int port, byte[] datagram) implements Effect {
        }

        record Done(long tag, Outcome outcome) implements Effect {
        }
    }

    /** How a request ended. */
    public sealed interface Outcome {
        /** A server answered (Access-Accept, -Reject, -Challenge, Accounting-Response), authentically. */
        record Answered(Server server, RadiusPacket response) implements Outcome {
        }

        /** No server answered (or too many requests were in flight): try the next method. */
        record NoAnswer(String why) implements Outcome {
        }
    }

    /** A request: Access-Request (with the password, hidden per server) or Accounting-Request. */
    public record Request(boolean accounting, List<Attribute> attributes, byte[] password) {
        public static Request access(List<Attribute> attributes, byte[] password) {
            return new Request(false, attributes, password);
        }

        public static Request accounting(List<Attribute> attributes) {
            return new Request(true, attributes, null);
        }

        public Request {
            attributes = List.copyOf(attributes);
            password = password == null ? null : password.clone();
        }

        @Override
        public String toString() {
            return "Request[" + (accounting ? "accounting" : "access") + ", " + attributes.size() + " attributes]";
        }
    }

    /** Per-server counters, for {@code show aaa servers} and the metrics; access and accounting apart, as IOS. */
    public static final class ServerCounters {
        public long requests;
        public long retransmissions;
        public long timeouts;
        /** Access requests that moved on from this server to the next one of their group. */
        public long failovers;
        public long accountingRequests;
        public long accountingRetransmissions;
        public long accountingTimeouts;
        public long accountingFailovers;
        public long accepts;
        public long rejects;
        public long challenges;
        public long accountingResponses;
        public long badAuthenticators;
        public long malformed;
        public long unexpected;
        /** Times marked dead, and the dead time of the periods already over. */
        public long deadCount;
        long deadMillisBefore;
        long deadFromMillis = -1;
        long deadUntilMillis;

        public boolean deadAt(long now) {
            return now < deadUntilMillis;
        }

        /** How long this server has been dead in all, up to {@code now}. */
        public long deadMillis(long now) {
            return deadMillisBefore + (deadFromMillis < 0 ? 0 : Math.min(now, deadUntilMillis) - deadFromMillis);
        }

        void markDead(long now, long deadtime) {
            if (deadAt(now)) {
                // Another request timing out in the same outage: one dead period, made longer, not a new one.
                deadUntilMillis = Math.max(deadUntilMillis, now + deadtime);
                return;
            }
            endDeadPeriod(now);
            deadCount++;
            deadFromMillis = now;
            deadUntilMillis = now + deadtime;
        }

        void alive(long now) {
            endDeadPeriod(now);
            deadUntilMillis = 0;
        }

        private void endDeadPeriod(long now) {
            if (deadFromMillis >= 0) {
                deadMillisBefore += Math.max(0, Math.min(now, deadUntilMillis) - deadFromMillis);
                deadFromMillis = -1;
            }
        }
    }

    private static final class Pending {
        final long tag;
        final Request request;
        final boolean[] tried;
        /** The servers this request may go to, in the group's order (indices into the client's servers). */
        final int[] order;
        int server;
        int identifier;
        byte[] authenticator;
        byte[] datagram;
        int sends;
        long deadline;

        Pending(long tag, Request request, int servers, int[] order) {
            this.tag = tag;
            this.request = request;
            this.tried = new boolean[servers];
            this.order = order;
        }
    }

    private final List<Server> servers;
    private final Settings settings;
    private final RandomGenerator random;
    private final Pending[][] inFlight;
    private final int[] nextIdentifier;
    private final ServerCounters[] counters;
    private int outstanding;

    public RadiusClient(List<Server> servers, Settings settings, RandomGenerator random) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("a RADIUS group needs a server");
        }
        this.servers = List.copyOf(servers);
        this.settings = settings;
        this.random = random;
        this.inFlight = new Pending[servers.size()][256];
        this.nextIdentifier = new int[servers.size()];
        this.counters = new ServerCounters[servers.size()];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = new ServerCounters();
            nextIdentifier[i] = random.nextInt(256);
        }
    }

    public List<Server> servers() {
        return servers;
    }

    public ServerCounters counters(int server) {
        return counters[server];
    }

    public int outstanding() {
        return outstanding;
    }

    /** Starts {@code request} through every server in order; {@code tag} comes back in its {@link Effect.Done}. */
    public List<Effect> submit(long tag, Request request, long now) {
        int[] all = new int[servers.size()];
        java.util.Arrays.setAll(all, i -> i);
        return submit(tag, request, all, now);
    }

    /**
     * Starts {@code request} through the servers {@code order} names (indices into {@link #servers()}: a server
     * group of the configuration), so every group shares one socket, one dead-time state and one set of counters
     * per server, as IOS keeps them.
     */
    public List<Effect> submit(long tag, Request request, int[] order, long now) {
        List<Effect> out = new ArrayList<>(1);
        for (int s : order) {
            if (s < 0 || s >= servers.size()) {
                throw new IllegalArgumentException("no server " + s + " in " + names());
            }
        }
        if (outstanding >= settings.maxOutstanding()) {
            out.add(new Effect.Done(tag, new Outcome.NoAnswer(outstanding + " RADIUS requests already in flight")));
            return out;
        }
        Pending p = new Pending(tag, request, servers.size(), order.clone());
        outstanding++;
        sendToNextServer(p, now, out);
        return out;
    }

    /** A datagram from {@code address:port}; {@code length} bytes of {@code data}. */
    public List<Effect> receive(int address, int port, byte[] data, int length, long now) {
        int s = serverAt(address, port);
        if (s < 0) {
            return List.of(); // not from a server of ours: not even counted against one
        }
        ServerCounters c = counters[s];
        if (length < RadiusPacket.HEADER) {
            c.malformed++;
            return List.of();
        }
        Pending p = inFlight[s][data[1] & 0xff];
        if (p == null || port != servers.get(s).portFor(p.request.accounting())) {
            c.unexpected++; // late (already answered, or moved on), forged, or from the other kind's port
            return List.of();
        }
        RadiusPacket response;
        try {
            response = RadiusPacket.decode(data, length);
        } catch (RadiusDecodeException e) {
            c.malformed++;
            return List.of();
        }
        int code = response.code();
        boolean fits = p.request.accounting() ? code == RadiusPacket.ACCOUNTING_RESPONSE
                : code == RadiusPacket.ACCESS_ACCEPT || code == RadiusPacket.ACCESS_REJECT
                        || code == RadiusPacket.ACCESS_CHALLENGE;
        if (!fits) {
            c.unexpected++;
            return List.of();
        }
        boolean requireMac = settings.requireMessageAuthenticator() && !p.request.accounting();
        if (RadiusPacket.verifyResponse(data, length, p.authenticator, servers.get(s).secret, requireMac)
                != RadiusPacket.Verification.AUTHENTIC) {
            c.badAuthenticators++;
            return List.of();
        }
        switch (code) {
            case RadiusPacket.ACCESS_ACCEPT -> c.accepts++;
            case RadiusPacket.ACCESS_REJECT -> c.rejects++;
            case RadiusPacket.ACCESS_CHALLENGE -> c.challenges++;
            default -> c.accountingResponses++;
        }
        c.alive(now);
        release(p);
        outstanding--;
        return List.of(new Effect.Done(p.tag, new Outcome.Answered(servers.get(s), response)));
    }

    /** Retransmissions, failovers and give-ups due at {@code now}. */
    public List<Effect> tick(long now) {
        List<Effect> out = new ArrayList<>();
        for (int s = 0; s < servers.size(); s++) {
            for (Pending p : inFlight[s]) {
                if (p == null || p.deadline > now) {
                    continue;
                }
                boolean accounting = p.request.accounting();
                if (p.sends <= settings.retransmits()) {
                    p.sends++;
                    p.deadline = now + settings.timeoutMillis();
                    if (accounting) {
                        counters[s].accountingRetransmissions++;
                    } else {
                        counters[s].retransmissions++;
                    }
                    out.add(new Effect.Send(servers.get(s), servers.get(s).portFor(accounting), p.datagram));
                    continue;
                }
                if (accounting) {
                    counters[s].accountingTimeouts++;
                } else {
                    counters[s].timeouts++;
                }
                if (settings.deadtimeMillis() > 0) {
                    counters[s].markDead(now, settings.deadtimeMillis());
                }
                release(p);
                if (sendToNextServer(p, now, out)) {
                    if (accounting) {
                        counters[s].accountingFailovers++;
                    } else {
                        counters[s].failovers++;
                    }
                }
            }
        }
        return out;
    }

    /** When {@link #tick} next has work, or {@code Long.MAX_VALUE}. */
    public long nextDeadline() {
        long next = Long.MAX_VALUE;
        for (Pending[] byId : inFlight) {
            for (Pending p : byId) {
                if (p != null && p.deadline < next) {
                    next = p.deadline;
                }
            }
        }
        return next;
    }

    /**
     * The first server not yet tried for {@code p}, live ones before dead ones; none left ends it. True when it
     * went to a server.
     */
    private boolean sendToNextServer(Pending p, long now, List<Effect> out) {
        int chosen = -1;
        for (int pass = 0; pass < 2 && chosen < 0; pass++) {
            for (int s : p.order) {
                if (!p.tried[s] && (pass == 1 || !counters[s].deadAt(now)) && hasFreeIdentifier(s)) {
                    chosen = s;
                    break;
                }
            }
        }
        if (chosen < 0) {
            outstanding--;
            out.add(new Effect.Done(p.tag, new Outcome.NoAnswer("no RADIUS server of " + names(p.order) + " answered")));
            return false;
        }
        p.tried[chosen] = true;
        p.server = chosen;
        p.identifier = takeIdentifier(chosen, p);
        Server server = servers.get(chosen);
        if (p.request.accounting()) {
            p.datagram = RadiusPacket.accountingRequest(p.identifier, p.request.attributes(), server.secret);
            p.authenticator = Arrays.copyOfRange(p.datagram, 4, 20);
        } else {
            p.authenticator = new byte[16];
            random.nextBytes(p.authenticator);
            p.datagram = RadiusPacket.accessRequest(p.identifier, p.authenticator, p.request.attributes(),
                    p.request.password(), server.secret);
        }
        p.sends = 1;
        p.deadline = now + settings.timeoutMillis();
        if (p.request.accounting()) {
            counters[chosen].accountingRequests++;
        } else {
            counters[chosen].requests++;
        }
        out.add(new Effect.Send(server, server.portFor(p.request.accounting()), p.datagram));
        return true;
    }

    private boolean hasFreeIdentifier(int s) {
        for (Pending p : inFlight[s]) {
            if (p == null) {
                return true;
            }
        }
        return false;
    }

    private int takeIdentifier(int s, Pending p) {
        for (int i = 0; i < 256; i++) {
            int id = (nextIdentifier[s] + i) & 0xff;
            if (inFlight[s][id] == null) {
                inFlight[s][id] = p;
                nextIdentifier[s] = (id + 1) & 0xff;
                return id;
            }
        }
        throw new IllegalStateException("checked by hasFreeIdentifier");
    }

    private void release(Pending p) {
        if (inFlight[p.server][p.identifier] == p) {
            inFlight[p.server][p.identifier] = null;
        }
    }

    private int serverAt(int address, int port) {
        for (int s = 0; s < servers.size(); s++) {
            Server server = servers.get(s);
            if (server.address() == address && (server.port() == port || server.acctPort() == port)) {
                return s;
            }
        }
        return -1;
    }

    private String names() {
        return servers.stream().map(Server::name).toList().toString();
    }

    private String names(int[] order) {
        return java.util.Arrays.stream(order).mapToObj(i -> servers.get(i).name()).toList().toString();
    }
}
