package dev.vpnrouter.sim;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.RadiusGroups;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.IkeEffect;
import dev.vpnrouter.ike.cfg.EnginePolicy;
import dev.vpnrouter.policy.LoginMethods;
import dev.vpnrouter.policy.UserAuthorization;
import dev.vpnrouter.radius.AccountingQueue;
import dev.vpnrouter.radius.AccountingRecords;
import dev.vpnrouter.radius.Attribute;
import dev.vpnrouter.radius.RadiusClient;
import dev.vpnrouter.radius.RadiusLogins;
import dev.vpnrouter.radius.RadiusPacket;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * A lab router's RADIUS client: the sans-IO {@link RadiusClient} driven on the simulated clock, its datagrams on
 * the simulated internet from the router's address, as {@code RouterRuntime} drives it on Linux through
 * {@code RadiusTransport}. Xauth logins run the profile's method list with {@link LoginMethods} (a {@code group}
 * asked over the wire, the next method only when no server answers); accounting records are queued per group in
 * an {@link AccountingQueue} and sent to the servers' accounting ports. Single-threaded, like the whole lab.
 */
public final class SimRadiusClient {
    /** The lab's NAS source port for RADIUS (any free port: the servers answer where a request came from). */
    public static final int SOURCE_PORT = 21_645;
    static final int QUEUE_CAPACITY = 10_000;
    static final int IN_FLIGHT = 64;
    static final long RETRY_MILLIS = 5_000;
    private static final int MAX_OUTSTANDING = 256;

    private final SimNetwork network;
    private final SplittableRandom random;
    private final LongConsumer wakeAt;
    private Function<ChildSa, long[]> counters = c -> null;
    private RadiusGroups groups;
    private RadiusClient client;
    private long nextTag = 1;
    /** What each tag's request is waiting to do with its outcome. */
    private final Map<Long, java.util.function.Consumer<RadiusClient.Outcome>> waiting = new HashMap<>();
    private final Map<String, AccountingQueue> queues = new HashMap<>();
    private long loginsAsked;
    private long recordsUnqueued;

    /**
     * @param wakeAt asks the router to call {@link #tick} at a virtual time (retransmissions, queued records)
     */
    SimRadiusClient(SimNetwork network, long seed, LongConsumer wakeAt) {
        this.network = network;
        this.random = new SplittableRandom(seed);
        this.wakeAt = wakeAt;
    }

    /** Where accounting reads an IPsec SA's traffic: in octets, out octets, in packets, out packets; or null. */
    void useCounters(Function<ChildSa, long[]> counters) {
        this.counters = counters;
    }

    /**
     * The client for {@code policy}'s servers: made at first use, again when the servers change (the lab's hubs
     * are not reconfigured; if one were, a login in flight on the old client would end by Xauth's own timeout).
     */
    private RadiusClient client(EnginePolicy policy) {
        RadiusGroups now = policy.radiusGroups();
        if (client == null || !now.equals(groups)) {
            List<RadiusClient.Server> servers = all(now).stream().map(s -> new RadiusClient.Server(s.name(),
                    s.address(), s.authPort(), s.acctPort(), s.key().getBytes(StandardCharsets.UTF_8))).toList();
            groups = now;
            client = servers.isEmpty() ? null : new RadiusClient(servers, new RadiusClient.Settings(
                    now.timeoutMillis(), now.retransmits(), now.deadtimeMillis(), MAX_OUTSTANDING, false), random);
        }
        return client;
    }

    private static List<RadiusGroups.Server> all(RadiusGroups groups) {
        return groups.group("radius").map(RadiusGroups.Group::servers).orElse(List.of());
    }

    /** The indices of {@code group}'s servers in the client, or null when the group has none. */
    private int[] order(String group) {
        RadiusGroups.Group g = groups.group(group).orElse(null);
        if (g == null || g.servers().isEmpty()) {
            return null;
        }
        List<RadiusGroups.Server> all = all(groups);
        return g.servers().stream().mapToInt(all::indexOf).filter(i -> i >= 0).toArray();
    }

    /** Access-Requests sent for Xauth logins (first sends only). */
    public long loginsAsked() {
        return loginsAsked;
    }

    /** Accounting records given up by a full queue, or lost for a group with no server. */
    public long recordsLost() {
        long lost = recordsUnqueued;
        for (AccountingQueue q : queues.values()) {
            lost += q.dropped();
        }
        return lost;
    }

    /**
     * An Xauth login: the method list run by {@link EnginePolicy#authenticate}, a {@code group} method asked over
     * the wire. The walk is run again from the start each time an answer arrives, with the answers so far: the
     * list's rule (next method only on ERROR) stays in {@link LoginMethods}, and {@code local} checks are pure.
     */
    void authenticate(IkeEffect.Authenticate request, EnginePolicy policy, int nasAddress,
            BiConsumer<Boolean, UserAuthorization> done) {
        new Login(request, policy, nasAddress, done).step();
    }

    /** Thrown out of the list's walk when a group has not answered yet: the walk stops there until it does. */
    private static final class Unanswered extends RuntimeException {
        final String group;

        Unanswered(String group) {
            super(null, null, false, false);
            this.group = group;
        }
    }

    private final class Login {
        final IkeEffect.Authenticate request;
        final EnginePolicy policy;
        final int nas;
        final BiConsumer<Boolean, UserAuthorization> done;
        final Map<String, RadiusLogins.Verdict> answers = new HashMap<>();

        Login(IkeEffect.Authenticate request, EnginePolicy policy, int nas,
                BiConsumer<Boolean, UserAuthorization> done) {
            this.request = request;
            this.policy = policy;
            this.nas = nas;
            this.done = done;
        }

        void step() {
            UserAuthorization[] granted = {UserAuthorization.NONE};
            boolean passed;
            try {
                passed = policy.authenticate(request.list(), request.user(), request.password(), group -> {
                    RadiusLogins.Verdict v = answers.get(group);
                    if (v == null) {
                        throw new Unanswered(group);
                    }
                    granted[0] = v.authorization(request.user());
                    return v.result();
                });
            } catch (Unanswered u) {
                ask(u.group);
                return;
            }
            done.accept(passed, passed ? granted[0] : UserAuthorization.NONE);
        }

        private void ask(String group) {
            byte[] password = request.password().getBytes(StandardCharsets.UTF_8);
            RadiusClient c = client(policy);
            int[] order = c == null ? null : order(group);
            if (order == null || password.length > RadiusPacket.MAX_PASSWORD) {
                answers.put(group, new RadiusLogins.Verdict(order == null ? LoginMethods.Result.ERROR
                        : LoginMethods.Result.FAIL, null, "RADIUS group " + group + " cannot be asked"));
                step();
                return;
            }
            List<Attribute> attributes = List.of(Attribute.text(Attribute.USER_NAME, request.user()),
                    Attribute.ipv4(Attribute.NAS_IP_ADDRESS, nas),
                    Attribute.integer(Attribute.NAS_PORT_TYPE, Attribute.NAS_PORT_TYPE_VIRTUAL),
                    Attribute.text(Attribute.CALLING_STATION_ID, Ipv4.format(request.peerAddress())));
            loginsAsked++;
            submit(c, RadiusClient.Request.access(attributes, password), order, outcome -> {
                answers.put(group, switch (outcome) {
                    case RadiusClient.Outcome.NoAnswer n -> new RadiusLogins.Verdict(LoginMethods.Result.ERROR,
                            null, n.why());
                    case RadiusClient.Outcome.Answered a -> new RadiusLogins.Verdict(
                            a.response().code() == RadiusPacket.ACCESS_ACCEPT ? LoginMethods.Result.PASS
                                    : LoginMethods.Result.FAIL, a.response(), a.server().name());
                });
                step();
            });
        }
    }

    /** A session's record, to the first group of its accounting list (IOS sends accounting to one group). */
    void account(IkeEffect.Account a, EnginePolicy policy, int nasAddress) {
        String group = policy.accountingGroup(a.list());
        if (group == null) {
            return; // a list of 'none' only: IOS sends nothing either
        }
        AccountingRecords.Session s = new AccountingRecords.Session(a.sessionId(), a.user(), a.framedAddress(),
                a.callingStation(), nasAddress);
        List<Attribute> attributes = switch (a.kind()) {
            case START -> AccountingRecords.start(s);
            case INTERIM -> AccountingRecords.interim(s, counters(a));
            case STOP -> AccountingRecords.stop(s, counters(a), AccountingRecords.TerminateCause.valueOf(
                    a.cause().name()));
        };
        long now = network.scheduler().now();
        if (client(policy) == null || order(group) == null) {
            recordsUnqueued++;
            return;
        }
        queues.computeIfAbsent(group, g -> new AccountingQueue(QUEUE_CAPACITY, IN_FLIGHT, RETRY_MILLIS))
                .offer(attributes, now);
        pumpAccounting(now);
    }

    /** The counters of the session's installed IPsec SAs (those already deleted are not kept in the lab). */
    private AccountingRecords.Counters counters(IkeEffect.Account a) {
        long in = 0, out = 0, inPackets = 0, outPackets = 0;
        for (ChildSa c : a.children()) {
            long[] k = counters.apply(c);
            if (k != null) {
                in += k[0];
                out += k[1];
                inPackets += k[2];
                outPackets += k[3];
            }
        }
        return new AccountingRecords.Counters(in, out, inPackets, outPackets,
                Math.max(0, (a.atMillis() - a.startedAtMillis()) / 1000));
    }

    private void pumpAccounting(long now) {
        for (Map.Entry<String, AccountingQueue> e : queues.entrySet()) {
            AccountingQueue q = e.getValue();
            if (q.nextDue() > now) {
                continue;
            }
            int[] order = order(e.getKey());
            for (AccountingQueue.Due d : q.due(now)) {
                if (order == null) {
                    q.unanswered(d.id(), now);
                    continue;
                }
                submit(client, RadiusClient.Request.accounting(d.attributes()), order, outcome -> {
                    if (outcome instanceof RadiusClient.Outcome.Answered) {
                        q.answered(d.id());
                    } else {
                        q.unanswered(d.id(), network.scheduler().now());
                    }
                });
            }
            if (q.nextDue() != Long.MAX_VALUE) {
                wakeAt.accept(q.nextDue());
            }
        }
    }

    private void submit(RadiusClient c, RadiusClient.Request request, int[] order,
            java.util.function.Consumer<RadiusClient.Outcome> then) {
        long tag = nextTag++;
        waiting.put(tag, then);
        carryOut(c.submit(tag, request, order, network.scheduler().now()));
    }

    /** A datagram to {@link #SOURCE_PORT}: a server's answer, or anything else, which the client drops. */
    void receive(SimPacket packet) {
        if (client != null) {
            byte[] p = packet.payload();
            carryOut(client.receive(packet.src(), packet.srcPort(), p, p.length, network.scheduler().now()));
        }
    }

    /** Retransmissions, failovers and queued records due now. */
    void tick(long now) {
        if (client != null) {
            carryOut(client.tick(now));
        }
        pumpAccounting(now);
    }

    private int nasAddress;

    /** The router's address, where requests come from. */
    void from(int address) {
        this.nasAddress = address;
    }

    private void carryOut(List<RadiusClient.Effect> effects) {
        for (RadiusClient.Effect e : effects) {
            switch (e) {
                case RadiusClient.Effect.Send s -> network.send(SimPacket.udp(nasAddress, SOURCE_PORT,
                        s.server().address(), s.port(), s.datagram()));
                case RadiusClient.Effect.Done d -> {
                    java.util.function.Consumer<RadiusClient.Outcome> then = waiting.remove(d.tag());
                    if (then != null) {
                        then.accept(d.outcome());
                    }
                }
            }
        }
        if (client != null && client.nextDeadline() != Long.MAX_VALUE) {
            wakeAt.accept(client.nextDeadline());
        }
    }
}
