package dev.vpnrouter.policy;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Pre-shared keys by peer. By address (Main Mode: the key must be chosen before the peer's identity is known):
 * the longest matching prefix over all {@code crypto keyring}s (on an equal prefix the keyring defined first), and
 * only when no keyring matches, the longest matching {@code crypto isakmp key}. The wildcard
 * {@code 0.0.0.0 0.0.0.0} is a prefix of length 0. By hostname: keyrings first, then global keys,
 * case-insensitive. Lookups cost one hash probe per prefix length in use.
 */
public final class PskTable {
    private final PrefixTable<PskMatch> keyrings = new PrefixTable<>();
    private final PrefixTable<PskMatch> globals = new PrefixTable<>();
    private final Map<String, PrefixTable<PskMatch>> perKeyring = new HashMap<>();
    private final Map<String, PskMatch> hostnames = new HashMap<>();
    private final Map<String, Map<String, PskMatch>> hostnamesPerKeyring = new HashMap<>();
    private final Map<String, PskMatch> globalHostnames = new HashMap<>();

    PskTable() {
    }

    void addKeyringAddress(String keyring, Subnet prefix, String key) {
        PskMatch m = new PskMatch(key, Optional.of(keyring), prefix, false);
        keyrings.putIfAbsent(prefix.address(), prefix.prefixLength(), m);
        perKeyring.computeIfAbsent(keyring, k -> new PrefixTable<>())
                .putIfAbsent(prefix.address(), prefix.prefixLength(), m);
    }

    void addKeyringHostname(String keyring, String hostname, String key) {
        PskMatch m = new PskMatch(key, Optional.of(keyring), Subnet.ANY, false);
        String h = hostname.toLowerCase(Locale.ROOT);
        hostnames.putIfAbsent(h, m);
        hostnamesPerKeyring.computeIfAbsent(keyring, k -> new HashMap<>()).putIfAbsent(h, m);
    }

    void addGlobalAddress(Subnet prefix, String key, boolean noXauth) {
        globals.putIfAbsent(prefix.address(), prefix.prefixLength(),
                new PskMatch(key, Optional.empty(), prefix, noXauth));
    }

    void addGlobalHostname(String hostname, String key, boolean noXauth) {
        globalHostnames.putIfAbsent(hostname.toLowerCase(Locale.ROOT),
                new PskMatch(key, Optional.empty(), Subnet.ANY, noXauth));
    }

    /** The key for a peer address, by the rule above. */
    public Optional<PskMatch> byAddress(int peer) {
        PskMatch m = keyrings.longestMatch(peer);
        return Optional.ofNullable(m != null ? m : globals.longestMatch(peer));
    }

    /** The key for a peer address within one keyring (once a profile and its keyring are known). */
    public Optional<PskMatch> byAddress(String keyring, int peer) {
        PrefixTable<PskMatch> t = perKeyring.get(keyring);
        return Optional.ofNullable(t == null ? null : t.longestMatch(peer));
    }

    /** The key for a peer hostname (ID_FQDN), keyrings first. */
    public Optional<PskMatch> byHostname(String hostname) {
        String h = hostname.toLowerCase(Locale.ROOT);
        PskMatch m = hostnames.get(h);
        return Optional.ofNullable(m != null ? m : globalHostnames.get(h));
    }

    /** The key for a peer hostname within one keyring. */
    public Optional<PskMatch> byHostname(String keyring, String hostname) {
        Map<String, PskMatch> m = hostnamesPerKeyring.get(keyring);
        return Optional.ofNullable(m == null ? null : m.get(hostname.toLowerCase(Locale.ROOT)));
    }

    /** Number of address keys (keyrings and global). */
    public int addressKeys() {
        return keyrings.size() + globals.size();
    }
}
