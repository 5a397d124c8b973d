package dev.vpnrouter.ike.cfg;

import dev.vpnrouter.config.model.AaaMethod;
import dev.vpnrouter.policy.LoginMethods;
import dev.vpnrouter.ike.wire.IdPayload;


import java.util.List;

/**
 * What the IKE engine asks of the configuration, in the terms IOS decides by. The compiled {@code policy} view
 * answers it for a real router; tests answer it directly.
 */
public interface EnginePolicy {
    /** The router's name for logs and show output. */
    String hostname();

    /** {@code crypto isakmp policy} entries in priority order. */
    List<IkeProposal> ikeProposals();

    /**
     * The pre-shared key for a peer address, as Main Mode must choose it before the identity is known: keyrings
     * (longest match, the wildcard 0.0.0.0 0.0.0.0 last), then {@code crypto isakmp key}. Null when none.
     */
    PresharedKey presharedKeyFor(int peerAddress);

    /**
     * The group key of {@code crypto isakmp client configuration group NAME}, null when no such group. By default
     * the key of {@link #clientGroup}.
     */
    default byte[] groupKey(String group) {
        ClientGroup g = clientGroup(group);
        return g == null ? null : g.key();
    }

    /** True when profiles are configured, so a peer matching none of them is refused. */
    boolean profilesConfigured();

    /** The ISAKMP profiles in configuration order (IOS scans them for Xauth at MM1). */
    default java.util.List<PeerProfile> profiles() {
        return java.util.List.of();
    }

    /** The first profile whose {@code match identity} accepts this phase-1 identity, null when none. */
    PeerProfile profileFor(IdPayload identity, int peerAddress);

    /** Crypto map entries on the outside interface, in sequence order, dynamic-map entries expanded in theirs. */
    List<ChildPolicy> cryptoMap();

    /**
     * The networks no peer may claim as its own under a dynamic entry without {@code match address}: connected
     * networks, static routes other than the default, local pools ({@link CryptoMapDecision}).
     */
    default List<CryptoMapDecision.ProtectedNetwork> protectedNetworks() {
        return List.of();
    }

    /** {@code crypto isakmp keepalive}: seconds between DPD probes when idle, 0 for off. */
    default int dpdIntervalSeconds() {
        return 0;
    }

    /** {@code crypto isakmp keepalive S R}: retry interval when a probe goes unanswered. */
    default int dpdRetrySeconds() {
        return 2;
    }

    /** {@code crypto isakmp nat keepalive S}, 0 for off (IOS default: 20 s are sent only when NAT is found). */
    default int natKeepaliveSeconds() {
        return 20;
    }

    /**
     * {@code crypto call admission limit ike in-negotiation-sa N}: how many IKE SAs peers may have negotiating
     * with us at once. Beyond it the oldest goes, where IOS refuses the newest: a flood then cannot hold every
     * slot, and a real peer's retransmission gets in.
     */
    default int inNegotiationLimit() {
        return DEFAULT_IN_NEGOTIATION_LIMIT;
    }

    /** Without {@code crypto call admission}: enough for thousands of spokes coming up at once. */
    int DEFAULT_IN_NEGOTIATION_LIMIT = 4096;

    /** What one peer may hold at most ({@link PeerLimits}). */
    default PeerLimits peerLimits() {
        return PeerLimits.DEFAULT;
    }

    /** {@code crypto isakmp aggressive-mode disable}. */
    default boolean aggressiveModeDisabled() {
        return false;
    }

    // ------------------------------------------------------------------ remote access (issue 4)

    /** {@code crypto isakmp client configuration group NAME} with its attributes, null when no such group. */
    default ClientGroup clientGroup(String name) {
        return null;
    }

    /** {@code aaa accounting network LIST}'s methods; empty when the list is not defined. */
    default List<dev.vpnrouter.config.model.AaaMethod> accountingMethods(String list) {
        return List.of();
    }

    /**
     * The server group a session's accounting records go to: the first group method of {@code list} (IOS sends
     * accounting to one group; {@code group radius} is the group "radius"); null for a list of {@code none} only.
     */
    default String accountingGroup(String list) {
        return accountingMethods(list).stream()
                .filter(m -> m.kind() == dev.vpnrouter.config.model.AaaMethod.Kind.GROUP)
                .map(m -> m.group().orElse("radius")).findFirst().orElse(null);
    }

    /** {@code aaa accounting update periodic N}: minutes between a session's Interim-Updates; 0: none. */
    default int accountingPeriodicMinutes() {
        return 0;
    }

    default List<dev.vpnrouter.config.model.AaaMethod> networkMethods(String list) {
        return List.of();
    }

    /** Whether an authorization list asks AAA servers (then the answer comes off the loop). */
    default boolean networkAsksServers(String list) {
        return dev.vpnrouter.config.model.AaaMethod.asksServers(networkMethods(list));
    }

    /** The split-tunnel networks of access list {@code acl} (its permit lines' local networks); empty if none. */
    default List<TrafficSelector> splitNetworks(String acl) {
        return List.of();
    }

    /**
     * A group an authorization server gave, as the engine uses a group: the pool and split-tunnel ACL it names
     * resolved here (a pool not configured refuses its clients at Mode Config, as a local group's would).
     */
    default ClientGroup clientGroup(dev.vpnrouter.policy.GroupAuthorization g) {
        return new ClientGroup(g.name(), g.key() == null ? null
                : g.key().getBytes(java.nio.charset.StandardCharsets.UTF_8), g.dns(), g.wins(), g.domain(), g.pool(),
                0, g.splitAcl(), g.splitAcl() == null ? List.of() : splitNetworks(g.splitAcl()), List.of(),
                g.banner(), g.savePassword(), g.includeLocalLan(), false, g.backupGateways(), g.maxUsers(),
                g.maxLogins());
    }

    /** The names of the {@code ip local pool}s, sorted. */
    default java.util.List<String> addressPoolNames() {
        return java.util.List.of();
    }

    /** {@code ip local pool NAME ...}: the ranges of the pool, null when no such pool. */
    default AddressPoolConfig addressPool(String name) {
        return null;
    }

    /** {@code username NAME password|secret ...}, null when no such user. */
    default LocalUser localUser(String name) {
        return null;
    }

    /** The methods of {@code aaa authentication login LIST} in order; empty when the list is not defined. */
    default List<AaaMethod> loginMethods(String list) {
        return List.of();
    }

    /** True when the {@code username} database has users ({@code local} is an ERROR without any, as on IOS). */
    default boolean hasLocalUsers() {
        return true;
    }

    /**
     * Xauth's user check: the login method list as {@link LoginMethods} runs it ({@code local} compares user
     * names without case, {@code local-case} with case).
     *
     * @param list the profile's {@code client authentication list}; null means "default"
     */
    default boolean authenticate(String list, String user, String password) {
        return authenticate(list, user, password, group -> LoginMethods.Result.FAIL);
    }

    /**
     * As above, with {@code groups} answering the list's {@code group NAME} methods (a RADIUS client; it may wait,
     * so this runs off the router's loop when the list names servers, see {@link #loginAsksServers}).
     */
    default boolean authenticate(String list, String user, String password,
            java.util.function.Function<String, LoginMethods.Result> groups) {
        if (user == null || password == null) {
            return false;
        }
        return LoginMethods.run(loginMethods(list == null ? "default" : list), new LoginMethods.Checks() {
            @Override
            public LoginMethods.Result local(boolean caseSensitive) {
                if (!hasLocalUsers()) {
                    return LoginMethods.Result.ERROR;
                }
                LocalUser u = localUser(user);
                boolean known = u != null && (caseSensitive ? u.name().equals(user)
                        : u.name().equalsIgnoreCase(user));
                return known && u.matches(password) ? LoginMethods.Result.PASS : LoginMethods.Result.FAIL;
            }

            @Override
            public LoginMethods.Result group(String name) {
                return groups.apply(name);
            }
        });
    }

    /** The RADIUS groups the login lists may name (none by default: a {@code group} method then fails closed). */
    default dev.vpnrouter.config.RadiusGroups radiusGroups() {
        return dev.vpnrouter.config.RadiusGroups.NONE;
    }

    /** Whether the login list asks servers ({@code group ...}): then Xauth waits for the host's answer. */
    default boolean loginAsksServers(String list) {
        return dev.vpnrouter.config.model.AaaMethod.asksServers(loginMethods(list == null ? "default" : list));
    }

    /** {@code crypto isakmp xauth timeout S}: how long Xauth waits for the user's answer (IOS default 60 s). */
    default int xauthTimeoutSeconds() {
        return 60;
    }

    /** What Mode Config sends as APPLICATION_VERSION; null sends none. */
    default String applicationVersion() {
        return "Cisco IOS Software compatible vpnrouter";
    }
}
