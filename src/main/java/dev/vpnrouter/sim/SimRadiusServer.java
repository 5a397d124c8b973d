package dev.vpnrouter.sim;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.radius.Attribute;
import dev.vpnrouter.radius.RadiusDecodeException;
import dev.vpnrouter.radius.RadiusPacket;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The lab's stand-in for FreeRADIUS on PostgreSQL (users, sqlippool, radacct with Simultaneous-Use), on the
 * simulated internet: the hubs ask it over UDP with the same packets they send the real one.
 *
 * <ul>
 * <li>Access-Request: only from a known NAS, with a valid Message-Authenticator. The User-Password must be the
 * user's. Simultaneous-Use: a user whose open sessions reach the limit is rejected. Accept carries
 * Framed-IP-Address from the pool: the address the user's lease names (a returning user gets its address back
 * while the lease holds), else a free one. No free address: Reject, as sqlippool's exhausted pool.</li>
 * <li>Accounting-Request: only from a known NAS, with a valid authenticator. Start opens a session, Interim-Update
 * refreshes it, Stop closes it; each refreshes the user's lease (Stop lets it run out now, though the address stays
 * the user's until another user needs it).</li>
 * <li>Simultaneous-Use counts the user's sessions as the README's {@code simul_count_query} does for a cluster on
 * FreeRADIUS: a session no record has refreshed for {@code staleMillis} is closed (a hub that died sends no Stop;
 * hubs must send Interim-Updates more often than that), and a session of the same Calling-Station-Id held by
 * another NAS does not count (the same client coming back through another hub).</li>
 * </ul>
 * Time comes from the simulated clock; nothing else is shared with the hubs.
 */
public final class SimRadiusServer implements SimNode {
    /** What the stand-in answered and saw, for the lab's figures and tests. */
    public static final class Counters {
        public long accepts;
        public long rejectedPassword;
        public long rejectedSimultaneousUse;
        public long rejectedPoolExhausted;
        public long starts;
        public long interims;
        public long stops;
        public long staleSessionsClosed;
        /** Logins whose user had a session of the same Calling-Station-Id on another NAS, not counted. */
        public long movedClients;
        public long addressesReturned;
        public long dropped;
    }

    /** A session of radacct: which NAS, its Acct-Session-Id, the user, when a record last came. */
    private record SessionKey(int nas, String sessionId) {
    }

    private static final class Session {
        final String user;
        final String callingStation;
        long lastSeen;

        Session(String user, String callingStation, long lastSeen) {
            this.user = user;
            this.callingStation = callingStation;
            this.lastSeen = lastSeen;
        }
    }

    private static final class Lease {
        final String user;
        final int address;
        long heldUntil;

        Lease(String user, int address, long heldUntil) {
            this.user = user;
            this.address = address;
            this.heldUntil = heldUntil;
        }
    }

    private final SimNetwork network;
    private final int address;
    private final int authPort;
    private final int acctPort;
    private final byte[] secret;
    private final Set<Integer> nases;
    private final int simultaneousUse;
    private final long leaseMillis;
    private final long staleMillis;
    private final Map<String, String> passwords = new HashMap<>();
    private final Map<SessionKey, Session> sessions = new HashMap<>();
    private final Map<String, List<SessionKey>> sessionsByUser = new HashMap<>();
    private final Map<String, Lease> leaseByUser = new HashMap<>();
    /** Every address the pool has leased, in address order: the pool's table. */
    private final TreeMap<Integer, Lease> leaseByAddress = new TreeMap<>(Integer::compareUnsigned);
    private final int poolFirst;
    private final int poolLast;
    /** The next never-leased address; past {@link #poolLast}, only expired leases are left to reuse. */
    private int poolNext;
    private final Counters counters = new Counters();

    /**
     * @param nases the hubs' addresses (FreeRADIUS's clients.conf): anything else is dropped
     * @param simultaneousUse the most open sessions a user may have (FreeRADIUS's Simultaneous-Use)
     * @param leaseMillis how long an address stays a user's after the last login or record (sqlippool's lease)
     * @param staleMillis a session no record refreshed for this long is closed at its user's next login
     */
    public SimRadiusServer(SimNetwork network, int address, int authPort, int acctPort, String secret,
            Set<Integer> nases, int poolFirst, int poolLast, int simultaneousUse, long leaseMillis,
            long staleMillis) {
        if (Integer.compareUnsigned(poolFirst, poolLast) > 0 || simultaneousUse < 1) {
            throw new IllegalArgumentException("an empty pool, or Simultaneous-Use below 1");
        }
        this.network = network;
        this.address = address;
        this.authPort = authPort;
        this.acctPort = acctPort;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.nases = Set.copyOf(nases);
        this.poolFirst = poolFirst;
        this.poolLast = poolLast;
        this.poolNext = poolFirst;
        this.simultaneousUse = simultaneousUse;
        this.leaseMillis = leaseMillis;
        this.staleMillis = staleMillis;
        network.attach(address, this);
    }

    public SimRadiusServer user(String name, String password) {
        passwords.put(name, password);
        return this;
    }

    public int address() {
        return address;
    }

    public Counters counters() {
        return counters;
    }

    /** The address leased to {@code user} now (held or run out but not given to another), or 0. */
    public int leaseOf(String user) {
        Lease l = leaseByUser.get(user);
        return l == null ? 0 : l.address;
    }

    /** The open sessions of {@code user} (stale ones included until its next login closes them). */
    public int openSessions(String user) {
        return sessionsByUser.getOrDefault(user, List.of()).size();
    }

    public int openSessions() {
        return sessions.size();
    }

    /** The pool's table: each leased address with its user, in address order (one user per address, by design). */
    public Map<Integer, String> leases() {
        Map<Integer, String> out = new TreeMap<>(Integer::compareUnsigned);
        leaseByAddress.forEach((a, l) -> out.put(a, l.user));
        return out;
    }

    @Override
    public void receive(SimPacket packet) {
        if (packet.protocol() != SimPacket.UDP || (packet.dstPort() != authPort && packet.dstPort() != acctPort)
                || !nases.contains(packet.src())) {
            counters.dropped++;
            return;
        }
        byte[] data = packet.payload();
        RadiusPacket request;
        try {
            request = RadiusPacket.decode(data, data.length);
        } catch (RadiusDecodeException e) {
            counters.dropped++;
            return;
        }
        byte[] answer;
        if (request.code() == RadiusPacket.ACCESS_REQUEST && packet.dstPort() == authPort
                && RadiusPacket.requestMessageAuthentic(data, data.length, secret)) {
            answer = access(request, packet.src());
        } else if (request.code() == RadiusPacket.ACCOUNTING_REQUEST && packet.dstPort() == acctPort
                && RadiusPacket.accountingRequestAuthentic(data, data.length, secret)) {
            accounting(request, packet.src());
            answer = RadiusPacket.response(RadiusPacket.ACCOUNTING_RESPONSE, request.identifier(),
                    request.authenticator(), List.of(), secret);
        } else {
            counters.dropped++;
            return;
        }
        network.send(SimPacket.udp(address, packet.dstPort(), packet.src(), packet.srcPort(), answer));
    }

    private byte[] access(RadiusPacket request, int nas) {
        String user = text(request, Attribute.USER_NAME);
        Attribute hidden = request.first(Attribute.USER_PASSWORD);
        byte[] revealed = hidden == null ? null
                : RadiusPacket.revealPassword(hidden.value(), secret, request.authenticator());
        String expected = user == null ? null : passwords.get(user);
        if (expected == null || revealed == null
                || !expected.equals(new String(revealed, StandardCharsets.UTF_8))) {
            counters.rejectedPassword++;
            return reject(request, "Authentication failed");
        }
        long now = network.scheduler().now();
        if (liveSessions(user, nas, text(request, Attribute.CALLING_STATION_ID), now) >= simultaneousUse) {
            counters.rejectedSimultaneousUse++;
            return reject(request, "You are already logged in - access denied");
        }
        Lease lease = lease(user, now);
        if (lease == null) {
            counters.rejectedPoolExhausted++;
            return reject(request, "No address left in the pool");
        }
        counters.accepts++;
        return RadiusPacket.response(RadiusPacket.ACCESS_ACCEPT, request.identifier(), request.authenticator(),
                List.of(Attribute.ipv4(Attribute.FRAMED_IP_ADDRESS, lease.address)), secret);
    }

    private byte[] reject(RadiusPacket request, String why) {
        return RadiusPacket.response(RadiusPacket.ACCESS_REJECT, request.identifier(), request.authenticator(),
                List.of(Attribute.text(Attribute.REPLY_MESSAGE, why)), secret);
    }

    /**
     * The user's sessions that count against a login from {@code callingStation} through {@code nas}: those no
     * record refreshed within {@link #staleMillis} are closed first; one of the same Calling-Station-Id held by
     * another NAS is the same client moving, and does not count (it stays open until its hub stops it, or it goes
     * stale).
     */
    private int liveSessions(String user, int nas, String callingStation, long now) {
        List<SessionKey> keys = sessionsByUser.get(user);
        if (keys == null) {
            return 0;
        }
        keys.removeIf(k -> {
            if (now - sessions.get(k).lastSeen < staleMillis) {
                return false;
            }
            sessions.remove(k);
            counters.staleSessionsClosed++;
            return true;
        });
        if (keys.isEmpty()) {
            sessionsByUser.remove(user);
            return 0;
        }
        int counted = 0;
        for (SessionKey k : keys) {
            boolean sameClientElsewhere = callingStation != null && k.nas() != nas
                    && callingStation.equals(sessions.get(k).callingStation);
            if (!sameClientElsewhere) {
                counted++;
            }
        }
        if (counted < keys.size()) {
            counters.movedClients++;
        }
        return counted;
    }

    /** The user's own lease renewed, else the next never-leased address, else the longest run-out lease. */
    private Lease lease(String user, long now) {
        Lease own = leaseByUser.get(user);
        if (own != null) {
            own.heldUntil = Math.max(own.heldUntil, now + leaseMillis);
            counters.addressesReturned++;
            return own;
        }
        int address;
        if (Integer.compareUnsigned(poolNext, poolLast) <= 0 && poolNext != 0) {
            address = poolNext;
            poolNext = poolNext == poolLast ? 0 : poolNext + 1;
        } else {
            Lease oldest = null;
            for (Lease l : leaseByAddress.values()) {
                if (l.heldUntil <= now && (oldest == null || l.heldUntil < oldest.heldUntil)) {
                    oldest = l;
                }
            }
            if (oldest == null) {
                return null;
            }
            leaseByUser.remove(oldest.user);
            address = oldest.address;
        }
        Lease l = new Lease(user, address, now + leaseMillis);
        leaseByUser.put(user, l);
        leaseByAddress.put(address, l);
        return l;
    }

    private void accounting(RadiusPacket request, int nas) {
        String user = text(request, Attribute.USER_NAME);
        String sessionId = text(request, Attribute.ACCT_SESSION_ID);
        Attribute status = request.first(Attribute.ACCT_STATUS_TYPE);
        if (user == null || sessionId == null || status == null) {
            return; // answered (the NAS must not resend it) but nothing to record, as FreeRADIUS logs and moves on
        }
        long kind;
        try {
            kind = status.asInteger();
        } catch (RadiusDecodeException e) {
            return;
        }
        long now = network.scheduler().now();
        SessionKey key = new SessionKey(nas, sessionId);
        Lease lease = leaseByUser.get(user);
        switch ((int) kind) {
            case 1 -> { // Start
                counters.starts++;
                open(key, user, text(request, Attribute.CALLING_STATION_ID), now);
                if (lease != null) {
                    lease.heldUntil = Math.max(lease.heldUntil, now + leaseMillis);
                }
            }
            case 3 -> { // Interim-Update: a session missed (its Start lost) is opened, as radacct's upsert does
                counters.interims++;
                open(key, user, text(request, Attribute.CALLING_STATION_ID), now);
                if (lease != null) {
                    lease.heldUntil = Math.max(lease.heldUntil, now + leaseMillis);
                }
            }
            case 2 -> { // Stop
                counters.stops++;
                if (sessions.remove(key) != null) {
                    List<SessionKey> keys = sessionsByUser.get(user);
                    if (keys != null) {
                        keys.remove(key);
                        if (keys.isEmpty()) {
                            sessionsByUser.remove(user);
                        }
                    }
                }
                if (lease != null && openSessions(user) == 0) {
                    lease.heldUntil = now;
                }
            }
            default -> {
            }
        }
    }

    private void open(SessionKey key, String user, String callingStation, long now) {
        Session s = sessions.get(key);
        if (s == null) {
            sessions.put(key, new Session(user, callingStation, now));
            sessionsByUser.computeIfAbsent(user, u -> new ArrayList<>(1)).add(key);
        } else {
            s.lastSeen = now;
        }
    }

    private static String text(RadiusPacket p, int type) {
        Attribute a = p.first(type);
        return a == null ? null : a.asText();
    }

    @Override
    public String toString() {
        return "RADIUS stand-in " + Ipv4.format(address) + " pool " + Ipv4.format(poolFirst) + "-"
                + Ipv4.format(poolLast);
    }
}
