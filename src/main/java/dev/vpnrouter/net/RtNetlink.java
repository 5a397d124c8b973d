package dev.vpnrouter.net;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Our rtnetlink client: one NETLINK_ROUTE socket, bound, through which routes and policy rules change without
 * starting {@code ip} (a fork and exec cost milliseconds; a request here costs a system call). Every request asks
 * for an ACK and carries its own sequence number; a refusal becomes a {@link NetlinkException} worded as {@code ip}
 * words it. {@link #apply} sends a batch of route changes in one {@code send} and then reads every ACK.
 *
 * <p>The socket belongs to the network namespace of the thread that {@link #open}s it, and acts there from any
 * thread afterwards. Buffers are allocated once per socket. Calls are serialised (the loop thread changes routes,
 * another thread may close). Answers come from the kernel while the request is being sent, so a read waits only
 * when something is wrong; it gives up after {@value #TIMEOUT_SECONDS} s rather than hang the caller.
 */
public final class RtNetlink implements AutoCloseable {
    /** An IPv4 route into a device ({@code ifindex} 0: none) in routing table {@code table}. */
    public record Route(int network, int prefixLength, int ifindex, int table, int preferredSource) {
        public Route {
            if (prefixLength < 0 || prefixLength > 32) {
                throw new IllegalArgumentException("prefix length " + prefixLength);
            }
            if (ifindex < 0 || table == 0) {
                throw new IllegalArgumentException("route needs a table and a valid interface index");
            }
        }

        /** {@code ip route add|del NETWORK/LEN dev IFINDEX table TABLE}. */
        public static Route dev(int network, int prefixLength, int ifindex, int table) {
            return new Route(network, prefixLength, ifindex, table, 0);
        }
    }

    /** One route to add (never replacing one that is there) or delete. */
    public record RouteChange(boolean add, Route route) {
        public static RouteChange add(Route route) {
            return new RouteChange(true, route);
        }

        public static RouteChange delete(Route route) {
            return new RouteChange(false, route);
        }
    }

    /** A change of a batch the kernel refused; the others of the batch are carried out regardless. */
    public record Failure(RouteChange change, NetlinkException error) {
    }

    /** An IPv4 route as a dump shows it (0 for what it does not carry). */
    public record RouteEntry(int network, int prefixLength, int table, int ifindex, int gateway, int preferredSource,
            int tos, int type, int protocol, int scope, int priority) {
    }

    /** An IPv4 policy rule: priority, table, action ({@code 1}: lookup the table). */
    public record Rule(int priority, int table, int action) {
    }

    /** Packets this host sends ({@code iif lo}) of one IP protocol, from one source port ({@code 0}: any). */
    public record LocalTraffic(int ipProtocol, int sourcePort) {
    }

    /**
     * Requests per {@code send}: each ACK is one small datagram queued at once, so a batch must fit the socket's
     * receive buffer (an ACK takes well under 1 KiB of it; the default buffer is 208 KiB).
     */
    static final int CHUNK = 64;
    private static final int RECEIVE_BUFFER = 64 << 10;
    private static final int SOCKADDR_NL_SIZE = 12;
    private static final int TIMEOUT_SECONDS = 5;
    private static final int MSG_TRUNC = 0x20;

    private final int fd;
    private final Arena arena;
    private final MemorySegment out;
    private final MemorySegment in;
    private final MemorySegment from;
    private final MemorySegment fromLength;
    /** Per request of the current batch: answered yet, its errno (0: done), the kernel's explanation. */
    private final boolean[] answered = new boolean[CHUNK];
    private final int[] errnos = new int[CHUNK];
    private final String[] texts = new String[CHUNK];
    /** Names of the interfaces {@link #linkIndex} looked up, for error messages. */
    private final Map<Integer, String> names = new HashMap<>();
    private int seq = 1;
    private boolean closed;

    private RtNetlink(int fd, Arena arena) {
        this.fd = fd;
        this.arena = arena;
        this.out = arena.allocate((long) CHUNK * RtMessages.MAX_REQUEST, 8);
        this.in = arena.allocate(RECEIVE_BUFFER, 8);
        this.from = arena.allocate(SOCKADDR_NL_SIZE, 4);
        this.fromLength = arena.allocate(ValueLayout.JAVA_INT);
    }

    /** A NETLINK_ROUTE socket in the calling thread's network namespace. */
    public static RtNetlink open() throws IOException {
        int fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, RtMessages.NETLINK_ROUTE);
        Arena arena = Arena.ofShared();
        try {
            // Refusals carry the kernel's explanation where it has one; ACKs echo only the request's header.
            optional(fd, RtMessages.NETLINK_EXT_ACK, "NETLINK_EXT_ACK");
            optional(fd, RtMessages.NETLINK_CAP_ACK, "NETLINK_CAP_ACK");
            MemorySegment timeout = arena.allocate(16, 8); // struct timeval
            timeout.set(ValueLayout.JAVA_LONG, 0, TIMEOUT_SECONDS);
            timeout.set(ValueLayout.JAVA_LONG, 8, 0);
            Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeout, 16, "SO_RCVTIMEO");
            MemorySegment address = arena.allocate(SOCKADDR_NL_SIZE, 4); // sockaddr_nl: the kernel picks our port
            address.fill((byte) 0);
            address.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_NETLINK);
            Libc.bind(fd, address, SOCKADDR_NL_SIZE, "netlink route socket");
            return new RtNetlink(fd, arena);
        } catch (IOException | RuntimeException e) {
            arena.close();
            Libc.close(fd);
            throw e;
        }
    }

    private static void optional(int fd, int option, String name) {
        try {
            Libc.setsockopt(fd, RtMessages.SOL_NETLINK, option, 1, name);
        } catch (ErrnoException e) {
            // an old kernel: plain errors and full echoes then
        }
    }

    /** The index of interface {@code name} here; a {@link NetlinkException} (No such device) when there is none. */
    public synchronized int linkIndex(String name) throws IOException {
        ensureOpen();
        int s = nextSeq(1);
        send(RtMessages.getLink(out, 0, s, name));
        while (true) {
            int n = receive("link show " + name);
            for (int at = 0; at < n; ) {
                int len = RtMessages.messageLength(in, at, n);
                if (RtMessages.seq(in, at) == s) {
                    int type = RtMessages.type(in, at);
                    if (type == RtMessages.NLMSG_ERROR) {
                        int error = RtMessages.errorCode(in, at, len);
                        if (error != 0) {
                            throw new NetlinkException("link show " + name, -error,
                                    RtMessages.errorText(in, at, len));
                        }
                    } else if (type == RtMessages.RTM_NEWLINK) {
                        int index = RtMessages.linkIndex(in, at, len);
                        names.put(index, name);
                        return index;
                    }
                }
                at += RtMessages.align(len);
            }
        }
    }

    /**
     * Sends the changes in order, {@value #CHUNK} to a {@code send}, and reads every ACK. A change the kernel
     * refuses comes back as a {@link Failure} (the others still take effect); an IOException means the socket or
     * the kernel's answers failed, and leaves it open which changes took effect.
     */
    public synchronized List<Failure> apply(List<RouteChange> changes) throws IOException {
        ensureOpen();
        List<Failure> failures = List.of();
        for (int first = 0; first < changes.size(); first += CHUNK) {
            int count = Math.min(CHUNK, changes.size() - first);
            int base = nextSeq(count);
            int len = 0;
            for (int i = 0; i < count; i++) {
                RouteChange c = changes.get(first + i);
                len += RtMessages.route(out, len, c.add(), base + i, c.route());
            }
            send(len);
            awaitAcks(base, count, "route changes");
            for (int i = 0; i < count; i++) {
                if (errnos[i] != 0) {
                    if (failures.isEmpty()) {
                        failures = new ArrayList<>();
                    }
                    RouteChange c = changes.get(first + i);
                    failures.add(new Failure(c, new NetlinkException(describe(c), errnos[i], texts[i])));
                }
            }
        }
        return failures;
    }

    /** {@code ip route add}: never replaces a route that is there (that is "File exists"). */
    public void addRoute(Route route) throws IOException {
        single(RouteChange.add(route));
    }

    /** {@code ip route del}: a route that is not there is "No such process", as with {@code ip}. */
    public void deleteRoute(Route route) throws IOException {
        single(RouteChange.delete(route));
    }

    private void single(RouteChange change) throws IOException {
        List<Failure> failures = apply(List.of(change));
        if (!failures.isEmpty()) {
            throw failures.getFirst().error();
        }
    }

    /** The IPv4 routes of routing table {@code table}. */
    public synchronized List<RouteEntry> routes(int table) throws IOException {
        ensureOpen();
        List<RouteEntry> routes = new ArrayList<>();
        dump(RtMessages.RTM_GETROUTE, "route show table " + Integer.toUnsignedString(table), routes::clear,
                (b, at, len) -> {
                    if (RtMessages.type(b, at) == RtMessages.RTM_NEWROUTE) {
                        RouteEntry e = RtMessages.routeEntry(b, at, len);
                        if (e != null && e.table() == table) {
                            routes.add(e);
                        }
                    }
                });
        return routes;
    }

    /**
     * Empties routing table {@code table} (IPv4), as {@code ip route flush table TABLE}: dump, delete what the dump
     * showed, again until the table is empty. Returns how many routes went.
     */
    public synchronized int flushTable(int table) throws IOException {
        int removed = 0;
        for (int round = 0; round < 10; round++) {
            List<RouteEntry> left = routes(table);
            if (left.isEmpty()) {
                return removed;
            }
            for (int first = 0; first < left.size(); first += CHUNK) {
                int count = Math.min(CHUNK, left.size() - first);
                int base = nextSeq(count);
                int len = 0;
                for (int i = 0; i < count; i++) {
                    len += RtMessages.delete(out, len, base + i, left.get(first + i));
                }
                send(len);
                awaitAcks(base, count, "route flush table " + table);
                for (int i = 0; i < count; i++) {
                    if (errnos[i] == 0) {
                        removed++;
                    } else if (errnos[i] != Libc.ESRCH) { // gone meanwhile is what we wanted
                        RouteEntry e = left.get(first + i);
                        throw new NetlinkException("route flush table " + table + " ("
                                + RtMessages.prefix(e.network(), e.prefixLength()) + ")", errnos[i], texts[i]);
                    }
                }
            }
        }
        throw new IOException("routing table " + table + " is still not empty after 10 rounds of flushing");
    }

    /** The IPv4 policy rules, in the kernel's order. */
    public synchronized List<Rule> rules() throws IOException {
        ensureOpen();
        List<Rule> rules = new ArrayList<>();
        dump(RtMessages.RTM_GETRULE, "rule show", rules::clear, (b, at, len) -> {
            if (RtMessages.type(b, at) == RtMessages.RTM_NEWRULE) {
                Rule r = RtMessages.rule(b, at, len);
                if (r != null) {
                    rules.add(r);
                }
            }
        });
        return rules;
    }

    /** {@code ip rule add pref PRIORITY lookup TABLE}; an identical rule already there is "File exists". */
    public synchronized void addRule(int priority, int table) throws IOException {
        ensureOpen();
        request(RtMessages.rule(out, 0, true, nextSeq(1), priority, table),
                "rule add pref " + Integer.toUnsignedString(priority) + " lookup " + Integer.toUnsignedString(table));
    }

    /** {@code ip rule del pref PRIORITY [lookup TABLE]} ({@code table} 0: any); none there: "No such file...". */
    public synchronized void deleteRule(int priority, int table) throws IOException {
        ensureOpen();
        request(RtMessages.rule(out, 0, false, nextSeq(1), priority, table),
                "rule del pref " + Integer.toUnsignedString(priority)
                        + (table == 0 ? "" : " lookup " + Integer.toUnsignedString(table)));
    }

    /**
     * Makes routing table {@code table} empty and consulted before the main table, by one rule at priority
     * {@code table}, except for {@code exempt}: the host's own packets of those kinds keep the main table, by
     * rules at priority {@code table - 1}. Any older lookup rule at either priority is ours from an earlier run
     * and goes.
     */
    public synchronized void ownRoutingTable(int table, List<LocalTraffic> exempt) throws IOException {
        dropRules(table - 1);
        dropRules(table);
        flushTable(table);
        for (LocalTraffic t : exempt) {
            ensureOpen();
            request(RtMessages.rule(out, 0, true, nextSeq(1), table - 1, RtMessages.RT_TABLE_MAIN, t),
                    "rule add pref " + (table - 1) + " iif lo ipproto " + t.ipProtocol()
                            + (t.sourcePort() == 0 ? "" : " sport " + t.sourcePort()) + " lookup main");
        }
        addRule(table, table);
    }

    /** Removes the rules {@link #ownRoutingTable} added and empties the table. */
    public synchronized void dropRoutingTable(int table) throws IOException {
        dropRules(table);
        dropRules(table - 1);
        flushTable(table);
    }

    private void dropRules(int priority) throws IOException {
        for (Rule r : rules()) {
            if (r.priority() == priority && r.action() == RtMessages.FR_ACT_TO_TBL) {
                deleteRule(priority, r.table());
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Libc.close(fd);
        } catch (ErrnoException e) {
            // nothing left to do with it
        }
        arena.close();
    }

    // ------------------------------------------------------------------ exchange

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("the netlink route socket is closed");
        }
    }

    /** Reserves {@code count} consecutive sequence numbers; returns the first. */
    private int nextSeq(int count) {
        int first = seq;
        seq += count;
        return first;
    }

    /** One request with an ACK; a refusal is thrown. */
    private void request(int len, String what) throws IOException {
        int s = RtMessages.seq(out, 0);
        send(len);
        awaitAcks(s, 1, what);
        if (errnos[0] != 0) {
            throw new NetlinkException(what, errnos[0], texts[0]);
        }
    }

    private void send(int len) throws IOException {
        long sent = Libc.sendto(fd, out, len, 0, MemorySegment.NULL, 0);
        if (sent != len) {
            throw new IOException("netlink: sent " + sent + " of " + len + " bytes");
        }
    }

    /**
     * Reads until each of the {@code count} requests from sequence number {@code base} on has its ACK (an
     * NLMSG_ERROR, error 0 for success), recording errnos and texts; answers to anything else are skipped.
     */
    private void awaitAcks(int base, int count, String what) throws IOException {
        Arrays.fill(answered, 0, count, false);
        Arrays.fill(errnos, 0, count, 0);
        Arrays.fill(texts, 0, count, null);
        int pending = count;
        while (pending > 0) {
            int n = receive(what);
            for (int at = 0; at < n; ) {
                int len = RtMessages.messageLength(in, at, n);
                int i = RtMessages.seq(in, at) - base; // wraps consistently with the sequence numbers
                if (RtMessages.type(in, at) == RtMessages.NLMSG_ERROR && i >= 0 && i < count && !answered[i]) {
                    answered[i] = true;
                    pending--;
                    int error = RtMessages.errorCode(in, at, len);
                    if (error != 0) {
                        errnos[i] = -error;
                        texts[i] = RtMessages.errorText(in, at, len);
                    }
                }
                at += RtMessages.align(len);
            }
        }
    }

    /** What a dump hands over: one message of the answer. */
    private interface Sink {
        void accept(MemorySegment b, int at, int len) throws IOException;
    }

    /**
     * Runs one IPv4 dump to its NLMSG_DONE. A dump the kernel marks interrupted (the table changed under it) is
     * run again from the start, after {@code restart}, at most three times.
     */
    private void dump(int type, String what, Runnable restart, Sink sink) throws IOException {
        for (int attempt = 0; attempt < 3; attempt++) {
            restart.run();
            int s = nextSeq(1);
            send(RtMessages.dump(out, 0, type, s));
            boolean interrupted = false;
            boolean done = false;
            while (!done) {
                int n = receive(what);
                for (int at = 0; at < n; ) {
                    int len = RtMessages.messageLength(in, at, n);
                    if (RtMessages.seq(in, at) == s) {
                        interrupted |= (RtMessages.flags(in, at) & RtMessages.NLM_F_DUMP_INTR) != 0;
                        int t = RtMessages.type(in, at);
                        if (t == RtMessages.NLMSG_DONE || t == RtMessages.NLMSG_ERROR) {
                            int error = RtMessages.errorCode(in, at, len);
                            if (error != 0) {
                                throw new NetlinkException(what, -error, t == RtMessages.NLMSG_ERROR
                                        ? RtMessages.errorText(in, at, len) : null);
                            }
                            done = t == RtMessages.NLMSG_DONE;
                        } else {
                            sink.accept(in, at, len);
                        }
                    }
                    at += RtMessages.align(len);
                }
            }
            if (!interrupted) {
                return;
            }
        }
        throw new IOException(what + ": the kernel's dump was interrupted three times (the table keeps changing)");
    }

    /** One datagram from the kernel into {@link #in}; returns its length (0: from someone else, ignore it). */
    private int receive(String what) throws IOException {
        while (true) {
            fromLength.set(ValueLayout.JAVA_INT, 0, SOCKADDR_NL_SIZE);
            long n;
            try {
                // MSG_TRUNC: the datagram's real length, so one larger than the buffer is caught, not cut.
                n = Libc.recvfrom(fd, in, in.byteSize(), MSG_TRUNC, from, fromLength);
            } catch (ErrnoException e) {
                switch (e.errno()) {
                    case Libc.EINTR -> {
                        continue;
                    }
                    case Libc.EAGAIN -> throw new IOException(what + ": no answer from the kernel within "
                            + TIMEOUT_SECONDS + " s", e);
                    case Libc.ENOBUFS -> throw new IOException(what + ": netlink answers were lost (receive "
                            + "buffer overrun); which changes took effect is unknown", e);
                    default -> throw e;
                }
            }
            if (n > in.byteSize()) {
                throw new IOException("malformed rtnetlink answer: a datagram of " + n + " bytes, more than "
                        + in.byteSize());
            }
            if (from.get(ValueLayout.JAVA_INT, 4) != 0) {
                continue; // not from the kernel (port 0): another process's message to our port
            }
            return (int) n;
        }
    }

    private String describe(RouteChange c) {
        int ifindex = c.route().ifindex();
        return RtMessages.describe(c.add(), c.route(), names.getOrDefault(ifindex, "if" + ifindex));
    }
}
