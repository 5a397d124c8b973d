package dev.vpnrouter.radius;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.policy.GroupAuthorization;
import dev.vpnrouter.policy.UserAuthorization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * A group's policy from an Access-Accept's Cisco-AVPairs, as IOS reads them for {@code isakmp authorization list}:
 * {@code ipsec:tunnel-password}, {@code ipsec:key-exchange=ike}, {@code ipsec:addr-pool}, {@code ipsec:dns-servers},
 * {@code ipsec:wins-servers}, {@code ipsec:default-domain}, {@code ipsec:split-tunnel-list}, {@code ipsec:banner},
 * {@code ipsec:include-local-lan}, {@code ipsec:save-password}, {@code ipsec:backup-gateway} (repeatable),
 * {@code ipsec:max-users}, {@code ipsec:max-logins}. A malformed pair is logged and does not apply; pairs of other
 * protocols or attributes are ignored. {@code key-exchange} other than {@code ike} refuses the group (no key).
 * A user's Accept is read here too ({@link #user}), for the pairs {@link UserAuthorization} takes per user.
 */
public final class GroupAttributes {
    private static final Logger LOG = LoggerFactory.getLogger(GroupAttributes.class);

    private GroupAttributes() {
    }

    /**
     * A user's Access-Accept: its Framed-IP-Address, Framed-Pool and Session-Timeout (read by the caller) with the
     * per-user Cisco-AVPairs {@link UserAuthorization} names; {@code ipsec:addr-pool} names the pool when Framed-Pool
     * does not. Malformed pairs are logged and not applied; group-only pairs are ignored.
     */
    public static UserAuthorization user(String user, List<String> avPairs, int framedAddress, String framedPool,
            long sessionTimeoutSeconds) {
        String who = "user " + user;
        String pool = framedPool;
        List<Integer> dns = new ArrayList<>();
        List<Integer> wins = new ArrayList<>();
        String domain = null;
        Boolean includeLocalLan = null;
        Boolean savePassword = null;
        String vpnGroup = null;
        for (IpsecPair p : ipsecPairs(who, avPairs)) {
            String pair = p.pair();
            String value = p.value();
            switch (p.name()) {
                case "addr-pool" -> {
                    String named = word(who, pair, value);
                    if (framedPool == null && named != null) {
                        pool = named;
                    }
                }
                case "dns-servers" -> addresses(who, pair, value, dns);
                case "wins-servers" -> addresses(who, pair, value, wins);
                case "default-domain" -> domain = word(who, pair, value);
                case "user-include-local-lan" -> includeLocalLan = bool(who, pair, value, includeLocalLan);
                case "user-save-password" -> savePassword = bool(who, pair, value, savePassword);
                case "user-vpn-group" -> vpnGroup = word(who, pair, value);
                default -> LOG.debug("RADIUS {}: Cisco-AVPair ipsec:{} is not taken per user", who,
                        dev.vpnrouter.common.Printable.of(p.name()));
            }
        }
        return new UserAuthorization(framedAddress, pool, sessionTimeoutSeconds, dns, wins, domain, includeLocalLan,
                savePassword, vpnGroup);
    }

    public static GroupAuthorization parse(String group, List<String> avPairs) {
        String who = "group " + group;
        String key = null;
        List<Integer> dns = new ArrayList<>();
        List<Integer> wins = new ArrayList<>();
        String domain = null;
        String pool = null;
        String splitAcl = null;
        String banner = null;
        boolean includeLocalLan = false;
        boolean savePassword = false;
        List<String> backup = new ArrayList<>();
        int maxUsers = 0;
        int maxLogins = 0;
        boolean ike = true;
        for (IpsecPair p : ipsecPairs(who, avPairs)) {
            String pair = p.pair();
            String value = p.value();
            switch (p.name()) {
                case "tunnel-password" -> {
                    if (value.isEmpty()) {
                        malformed(who, "ipsec:tunnel-password", "empty");
                    } else {
                        key = value;
                    }
                }
                case "key-exchange" -> ike = value.equalsIgnoreCase("ike");
                case "addr-pool" -> pool = word(who, pair, value);
                case "dns-servers" -> addresses(who, pair, value, dns);
                case "wins-servers" -> addresses(who, pair, value, wins);
                case "default-domain" -> domain = word(who, pair, value);
                case "split-tunnel-list" -> splitAcl = word(who, pair, value);
                case "banner" -> banner = value.isEmpty() ? null : value;
                case "include-local-lan" -> includeLocalLan = bool(who, pair, value, includeLocalLan);
                case "save-password" -> savePassword = bool(who, pair, value, savePassword);
                case "backup-gateway" -> {
                    String gw = word(who, pair, value);
                    if (gw != null) {
                        backup.add(gw);
                    }
                }
                case "max-users" -> maxUsers = count(who, pair, value, maxUsers);
                case "max-logins" -> maxLogins = count(who, pair, value, maxLogins);
                default -> {
                } // an attribute we do not act on: ignored, as unknown attributes are
            }
        }
        if (!ike) {
            LOG.warn("RADIUS group {}: ipsec:key-exchange is not ike: the group has no key here", group);
            key = null;
        }
        return new GroupAuthorization(group, key, dns, wins, domain, pool, splitAcl, banner, includeLocalLan,
                savePassword, backup, maxUsers, maxLogins);
    }

    /** One {@code ipsec:NAME=VALUE} (or {@code *}) pair: its name after {@code ipsec:}, its value trimmed. */
    private record IpsecPair(String pair, String name, String value) {
    }

    /** The {@code ipsec:} pairs of an Accept, in order; one without a separator is logged and left out. */
    private static List<IpsecPair> ipsecPairs(String who, List<String> avPairs) {
        List<IpsecPair> out = new ArrayList<>();
        for (String pair : avPairs) {
            if (!pair.startsWith("ipsec:")) {
                continue;
            }
            int sep = separator(pair);
            if (sep < 0) {
                malformed(who, pair, "no '=' or '*'");
                continue;
            }
            out.add(new IpsecPair(pair, pair.substring("ipsec:".length(), sep), pair.substring(sep + 1).trim()));
        }
        return out;
    }

    /**
     * Where a Cisco AV-pair's name ends: at "=" (a mandatory attribute) or "*" (an optional one), whichever comes
     * first; -1 when neither is there. Both apply here.
     */
    public static int separator(String pair) {
        int i = pair.indexOf('=');
        int j = pair.indexOf('*');
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    /** {@code who}: "group G" or "user U", whose Accept carried the pair. */
    private static void malformed(String who, String pair, String why) {
        // The value may be a key: only the attribute's name reaches the log.
        int sep = separator(pair);
        LOG.warn("RADIUS {}: Cisco-AVPair {} not applied: {}", dev.vpnrouter.common.Printable.of(who),
                dev.vpnrouter.common.Printable.of(sep < 0 ? pair : pair.substring(0, sep)), why);
    }

    private static String word(String group, String pair, String value) {
        if (value.isEmpty() || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            malformed(group, pair, "not one word");
            return null;
        }
        return value;
    }

    /** Up to two addresses, comma- or space-separated; any bad one drops the pair whole. */
    private static void addresses(String group, String pair, String value, List<Integer> into) {
        List<Integer> out = new ArrayList<>();
        for (String a : value.split("[,\\s]+")) {
            if (a.isEmpty()) {
                continue;
            }
            try {
                out.add(Ipv4.parse(a));
            } catch (RuntimeException e) {
                malformed(group, pair, "not an IPv4 address list");
                return;
            }
        }
        if (out.isEmpty() || out.size() > 2) {
            malformed(group, pair, "one or two addresses expected");
            return;
        }
        into.clear();
        into.addAll(out);
    }

    private static Boolean bool(String group, String pair, String value, Boolean before) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "1", "true", "yes" -> true;
            case "0", "false", "no" -> false;
            default -> {
                malformed(group, pair, "not a boolean");
                yield before;
            }
        };
    }

    private static int count(String group, String pair, String value, int before) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        malformed(group, pair, "not a count");
        return before;
    }
}
