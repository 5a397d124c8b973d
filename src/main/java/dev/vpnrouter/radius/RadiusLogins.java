package dev.vpnrouter.radius;

import dev.vpnrouter.policy.LoginMethods;
import dev.vpnrouter.config.RadiusGroups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The router's one RADIUS client, for callers that may wait (an SSH login thread, the thread an Xauth verdict is
 * worked out on, an exec session's {@code test aaa}; never the router's loop). {@code run} makes it and hands it to
 * the IKE runtime (Xauth) and the exec servers (vty logins, {@code show aaa servers}, {@code test aaa}), so every
 * server has one socket, one dead-time state and one set of counters, whichever group or caller asks it.
 *
 * <p>A login sends an Access-Request with User-Name, User-Password, NAS-IP-Address, NAS-Port-Type Virtual and
 * Calling-Station-Id to the group's servers in order; Access-Accept is a PASS, Access-Reject a FAIL, no server
 * answering an ERROR so the method list moves on. An Access-Challenge is a FAIL for the method list (a server
 * answered; nothing else is tried) that carries the server's question ({@link Verdict#challenge}): Xauth puts it
 * to the user and sends the answer back with {@link #answer}; a password prompt (vty) cannot and fails.
 *
 * <p>The client is made when first asked. A configuration that changes the servers or the timers gets a new one; the
 * old one is retired, not closed: the logins it is waiting on end as they would have (answer, or silence and
 * failover), so a reconfiguration fails no login in flight.
 */
public final class RadiusLogins implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RadiusLogins.class);
    /** The most requests in flight at once, over every server. */
    private static final int MAX_OUTSTANDING = 256;

    /** What a group said: the result for the method list, and the server's reply when one answered. */
    public record Verdict(LoginMethods.Result result, RadiusPacket reply, String why) {
        /**
         * What an Access-Accept grants {@code user} beyond the login: Framed-IP-Address (RFC 2865's 255.255.255.254
         * and 255.255.255.255, "the NAS picks" and "the user picks", leave it to the pool), Framed-Pool,
         * Session-Timeout and the per-user Cisco-AVPairs ({@link GroupAttributes#user}). A malformed attribute is
         * logged and not applied; nothing for a verdict other than PASS.
         */
        public dev.vpnrouter.policy.UserAuthorization authorization(String user) {
            if (result != LoginMethods.Result.PASS || reply == null) {
                return dev.vpnrouter.policy.UserAuthorization.NONE;
            }
            int address = 0;
            Attribute framed = reply.first(Attribute.FRAMED_IP_ADDRESS);
            if (framed != null) {
                try {
                    long a = framed.asInteger();
                    address = a >= 0xfffffffeL ? 0 : (int) a;
                } catch (RadiusDecodeException e) {
                    LOG.warn("RADIUS server {}: Framed-IP-Address not applied: {}", why, e.getMessage());
                }
            }
            String pool = null;
            Attribute framedPool = reply.first(Attribute.FRAMED_POOL);
            if (framedPool != null) {
                String text = framedPool.asText();
                if (text.isBlank() || !text.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                    LOG.warn("RADIUS server {}: Framed-Pool not applied: not a pool name", why);
                } else {
                    pool = text;
                }
            }
            long timeout = 0;
            Attribute session = reply.first(Attribute.SESSION_TIMEOUT);
            if (session != null) {
                try {
                    timeout = session.asInteger();
                } catch (RadiusDecodeException e) {
                    LOG.warn("RADIUS server {}: Session-Timeout not applied: {}", why, e.getMessage());
                }
            }
            return GroupAttributes.user(user, reply.ciscoAvPairs(), address, pool, timeout);
        }

        /**
         * The server's question when it answered Access-Challenge: its Reply-Messages joined (RFC 2865 5.18: one
         * text may span several) and its State to echo; empty for any other verdict.
         */
        public java.util.Optional<dev.vpnrouter.policy.LoginChallenge> challenge(String group) {
            if (reply == null || reply.code() != RadiusPacket.ACCESS_CHALLENGE) {
                return java.util.Optional.empty();
            }
            StringBuilder message = new StringBuilder();
            for (Attribute a : reply.attributes()) {
                if (a.type() == Attribute.REPLY_MESSAGE) {
                    message.append(a.asText());
                }
            }
            Attribute state = reply.first(Attribute.STATE);
            return java.util.Optional.of(new dev.vpnrouter.policy.LoginChallenge(group, message.toString(),
                    state == null ? new byte[0] : state.value()));
        }
    }

    private RadiusGroups groups;
    /** Over every server of {@link #groups}; null until first asked, or after a change retired the last one. */
    private RadiusTransport transport;
    private boolean closed;

    public RadiusLogins(RadiusGroups groups) {
        this.groups = groups;
    }

    /**
     * The configuration's groups now. A change of servers, keys or timers retires the client (its logins in flight
     * end normally) and the next login makes a new one; a change of group membership alone keeps it.
     */
    public synchronized void update(RadiusGroups now) {
        if (now.equals(groups)) {
            return;
        }
        if (transport != null && !sameClient(groups, now)) {
            transport.retire();
            transport = null;
        }
        groups = now;
    }

    public synchronized RadiusGroups groups() {
        return groups;
    }

    /** What {@code group} says of {@code user}/{@code password} from {@code callingStation}. */
    public LoginMethods.Result login(String group, String user, String password, int nasAddress,
            String callingStation) {
        return authenticate(group, user, password, nasAddress, callingStation).result();
    }

    /** As {@link #login}, with the server's reply (its attributes: Framed-IP-Address, Cisco-AVPairs...). */
    public Verdict authenticate(String group, String user, String password, int nasAddress, String callingStation) {
        return userLogin(ask(group, user, password, nasAddress, callingStation, null, false));
    }

    /**
     * {@code test aaa group G USER PASS new-code}: the server's own answer and attributes, a group's record included
     * (operators test a group's policy this way); an operator's diagnostic, never a login.
     */
    public Verdict test(String group, String user, String password, int nasAddress) {
        return ask(group, user, password, nasAddress, null, null, false);
    }

    /**
     * A login's verdict, fail closed: an Accept carrying {@code ipsec:tunnel-password} is a group's record (what
     * {@link #authorizeGroup} asks for with the password {@code cisco}), not a user's, so whoever knows the group
     * name and key cannot log in as the group.
     */
    private static Verdict userLogin(Verdict v) {
        if (v.result() == LoginMethods.Result.PASS && v.reply() != null && v.reply().ciscoAvPairs().stream()
                .anyMatch(p -> p.regionMatches(true, 0, "ipsec:tunnel-password", 0, 21))) {
            LOG.warn("RADIUS server {}: an Access-Accept carrying ipsec:tunnel-password is a group's record, not a"
                    + " user's: login refused", v.why());
            return new Verdict(LoginMethods.Result.FAIL, null, "a group's record (ipsec:tunnel-password), not a user's");
        }
        return v;
    }

    /**
     * The user's answer to {@code challenge}: a new Access-Request to the challenging group with the server's State
     * echoed (RFC 2865 4.4). The verdict is the server's again (Accept, Reject or another challenge); no server
     * answering is an ERROR, which the caller takes as a failed login, since the list already had its answer.
     */
    public Verdict answer(dev.vpnrouter.policy.LoginChallenge challenge, String user, String response, int nasAddress,
            String callingStation) {
        return userLogin(ask(challenge.group(), user, response, nasAddress, callingStation, challenge.state(), false));
    }

    private Verdict ask(String group, String user, String password, int nasAddress, String callingStation,
            byte[] state, boolean groupRecord) {
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        if (secret.length > RadiusPacket.MAX_PASSWORD) {
            return new Verdict(LoginMethods.Result.FAIL, null, "password longer than RADIUS carries");
        }
        List<Attribute> attributes = new ArrayList<>(List.of(Attribute.text(Attribute.USER_NAME, user),
                Attribute.ipv4(Attribute.NAS_IP_ADDRESS, nasAddress),
                Attribute.integer(Attribute.NAS_PORT_TYPE, Attribute.NAS_PORT_TYPE_VIRTUAL)));
        if (callingStation != null) {
            attributes.add(Attribute.text(Attribute.CALLING_STATION_ID, callingStation));
        }
        if (state != null && state.length > 0) {
            attributes.add(new Attribute(Attribute.STATE, state));
        }
        if (groupRecord) {
            // As IOS asks for a group: a server can keep group records apart from logins (Service-Type == Outbound-User).
            attributes.add(Attribute.integer(Attribute.SERVICE_TYPE, Attribute.SERVICE_TYPE_OUTBOUND));
        }
        CompletableFuture<RadiusClient.Outcome> pending;
        long bound;
        synchronized (this) {
            int[] order = order(group);
            if (order == null) {
                LOG.warn("login of {}: RADIUS group {} has no server to ask", user, group);
                return new Verdict(LoginMethods.Result.ERROR, null, "RADIUS group " + group
                        + " has no server to ask");
            }
            try {
                // Submitted under the lock: a reconfiguration retires this transport only after the request is in.
                pending = transport().submit(RadiusClient.Request.access(attributes, secret), order);
            } catch (IOException e) {
                LOG.warn("RADIUS group {}: no socket: {}", group, e.toString());
                return new Verdict(LoginMethods.Result.ERROR, null, "no socket: " + e.getMessage());
            }
            // Every server, every retransmission, and a second more: the client always ends by then.
            bound = groups.timeoutMillis() * (groups.retransmits() + 1L) * order.length + 1_000;
        }
        RadiusClient.Outcome outcome;
        try {
            outcome = pending.get(bound, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Verdict(LoginMethods.Result.ERROR, null, "interrupted");
        } catch (ExecutionException | TimeoutException e) {
            return new Verdict(LoginMethods.Result.ERROR, null, e.toString());
        }
        return switch (outcome) {
            case RadiusClient.Outcome.NoAnswer n -> {
                LOG.warn("login of {}: {}", user, n.why());
                yield new Verdict(LoginMethods.Result.ERROR, null, n.why());
            }
            case RadiusClient.Outcome.Answered a -> new Verdict(a.response().code() == RadiusPacket.ACCESS_ACCEPT
                    ? LoginMethods.Result.PASS : LoginMethods.Result.FAIL, a.response(), a.server().name());
        };
    }

    /**
     * A remote-access group's policy through an {@code aaa authorization network} list, as IOS asks it: the group
     * name as User-Name with the password {@code cisco}; an Accept's Cisco-AVPairs are the group. A reject ends the
     * list (no group); a group no server answers for moves to the next method, and so does {@code local}: the caller
     * asks only for groups not configured here, which {@code local} cannot give ({@code local group radius} asks
     * RADIUS, as {@link dev.vpnrouter.config.model.AaaMethod#asksServers} told the checker and the engine). Empty: the
     * group is not granted.
     */
    public java.util.Optional<dev.vpnrouter.policy.GroupAuthorization> authorizeGroup(
            List<dev.vpnrouter.config.model.AaaMethod> methods, String group, int nasAddress, String callingStation) {
        for (dev.vpnrouter.config.model.AaaMethod m : methods) {
            if (m.kind() != dev.vpnrouter.config.model.AaaMethod.Kind.GROUP) {
                continue; // local: no local group of this name (or we would not ask): the next method
            }
            Verdict v = ask(m.group().orElse("radius"), group, "cisco", nasAddress, callingStation, null, true);
            switch (v.result()) {
                case PASS -> {
                    return java.util.Optional.of(GroupAttributes.parse(group, v.reply().ciscoAvPairs()));
                }
                case FAIL -> {
                    return java.util.Optional.empty();
                }
                case ERROR -> {
                } // the next method
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * Sends one Accounting-Request through {@code group}'s servers (their accounting ports); completes with
     * whether a server took it. Never blocks: the caller's {@link AccountingQueue} keeps what no one took.
     */
    public CompletableFuture<Boolean> account(String group, List<Attribute> attributes) {
        synchronized (this) {
            int[] order = order(group);
            if (order == null) {
                return CompletableFuture.completedFuture(false);
            }
            try {
                return transport().submit(RadiusClient.Request.accounting(attributes), order)
                        .thenApply(o -> o instanceof RadiusClient.Outcome.Answered a
                                && a.response().code() == RadiusPacket.ACCOUNTING_RESPONSE);
            } catch (IOException e) {
                LOG.warn("RADIUS group {}: no socket: {}", group, e.toString());
                return CompletableFuture.completedFuture(false);
            }
        }
    }

    /** The state and counters of every configured server ({@code show aaa servers}); zeros before the first use. */
    public List<RadiusTransport.ServerState> servers() {
        CompletableFuture<List<RadiusTransport.ServerState>> states;
        List<RadiusGroups.Server> all;
        synchronized (this) {
            all = allServers(groups);
            states = transport == null ? null : transport.servers();
        }
        if (states != null) {
            try {
                return states.get(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("RADIUS counters not read: {}", e.toString());
            }
        }
        return all.stream().map(s -> new RadiusTransport.ServerState(s.name(), s.address(), s.authPort(), false, 0,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)).toList();
    }

    /**
     * {@code group}'s servers as indexes into the client's list, in the group's order; null when the group has no
     * server to ask (or this client is closed). Under the lock.
     */
    private int[] order(String group) {
        RadiusGroups.Group g = groups.group(group).orElse(null);
        if (closed || g == null) {
            return null;
        }
        List<RadiusGroups.Server> all = allServers(groups);
        int[] order = g.servers().stream().mapToInt(all::indexOf).filter(i -> i >= 0).toArray();
        return order.length == 0 ? null : order;
    }

    /** Every server a group may name: {@code group radius} holds them all, in configuration order. */
    private static List<RadiusGroups.Server> allServers(RadiusGroups groups) {
        return groups.group("radius").map(RadiusGroups.Group::servers).orElse(List.of());
    }

    private static boolean sameClient(RadiusGroups a, RadiusGroups b) {
        return allServers(a).equals(allServers(b)) && a.timeoutMillis() == b.timeoutMillis()
                && a.retransmits() == b.retransmits() && a.deadtimeMillis() == b.deadtimeMillis()
                && a.sourceAddress() == b.sourceAddress();
    }

    private RadiusTransport transport() throws IOException {
        if (transport == null) {
            List<RadiusClient.Server> servers = allServers(groups).stream().map(s -> new RadiusClient.Server(
                    s.name(), s.address(), s.authPort(), s.acctPort(), s.key().getBytes(StandardCharsets.UTF_8)))
                    .toList();
            transport = new RadiusTransport(new RadiusClient(servers, new RadiusClient.Settings(
                    groups.timeoutMillis(), groups.retransmits(), groups.deadtimeMillis(), MAX_OUTSTANDING, false),
                    new SecureRandom()), groups.sourceAddress());
        }
        return transport;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (transport != null) {
            transport.close();
            transport = null;
        }
    }
}
