package dev.vpnrouter.config;

import dev.vpnrouter.config.Blocks.GroupBlock;
import dev.vpnrouter.config.Blocks.KeyringBlock;
import dev.vpnrouter.config.Blocks.MapEntryBlock;
import dev.vpnrouter.config.Blocks.PolicyBlock;
import dev.vpnrouter.config.Blocks.ProfileBlock;
import dev.vpnrouter.config.Blocks.TransformBlock;
import dev.vpnrouter.config.model.DhGroupId;
import dev.vpnrouter.config.model.EspCipher;
import dev.vpnrouter.config.model.EspIntegrity;
import dev.vpnrouter.config.model.IkeAuthentication;
import dev.vpnrouter.config.model.IkeEncryption;
import dev.vpnrouter.config.model.IkeHash;
import dev.vpnrouter.config.model.IpsecGlobals;
import dev.vpnrouter.config.model.IpsecMode;
import dev.vpnrouter.config.model.IsakmpGlobals;
import dev.vpnrouter.config.model.IsakmpPolicy;
import dev.vpnrouter.config.model.IsakmpProfile;
import dev.vpnrouter.config.model.MapPeer;
import dev.vpnrouter.config.model.MatchIdentity;
import dev.vpnrouter.config.model.PreSharedKey;
import dev.vpnrouter.config.syntax.Args;
import dev.vpnrouter.config.syntax.DelimitedText;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;

import static dev.vpnrouter.config.Mode.CLIENT_GROUP;
import static dev.vpnrouter.config.model.PassiveLine.Placement.HEAD;
import static dev.vpnrouter.config.Mode.GLOBAL;
import static dev.vpnrouter.config.Mode.ISAKMP_POLICY;
import static dev.vpnrouter.config.Mode.ISAKMP_PROFILE;
import static dev.vpnrouter.config.Mode.KEYRING;
import static dev.vpnrouter.config.Mode.MAP_ENTRY;
import static dev.vpnrouter.config.Mode.TRANSFORM_SET;

/** The {@code crypto} commands and their sub-modes. */
final class CryptoCommands {
    private static final int HOST_MASK = -1;

    private CryptoCommands() {
    }

    static void define(IosGrammar g) {
        keyring(g);
        policy(g);
        isakmpGlobals(g);
        clientGroup(g);
        profile(g);
        transformSet(g);
        maps(g);
    }

    private static void keyring(IosGrammar g) {
        g.on(GLOBAL, "crypto keyring WORD:name", (c, a) -> c.enter(KEYRING,
                c.keyrings.computeIfAbsent(a.text("name"), n -> new KeyringBlock(c.where(a), n))));
        g.on(GLOBAL, "no crypto keyring WORD:name", (c, a) -> c.keyrings.remove(a.text("name")));
        g.on(KEYRING, "pre-shared-key address IP:address [MASK:mask] key [0] WORD:key", (c, a) -> {
            if (a.has("mask") && !Validate.contiguousMask(c, a, "mask", "address")) {
                return;
            }
            int mask = a.ipOr("mask", HOST_MASK);
            c.block(KeyringBlock.class).keys.put(List.of(a.ip("address") & mask, mask),
                    c.place(new PreSharedKey.ByAddress(a.ip("address"), mask, a.text("key"), false), a));
        });
        g.on(KEYRING, "pre-shared-key hostname WORD:host key [0] WORD:key", (c, a) ->
                c.block(KeyringBlock.class).keys.put(hostKey(a.text("host")),
                        c.place(new PreSharedKey.ByHostname(a.text("host"), a.text("key"), false), a)));
        g.on(KEYRING, "no pre-shared-key address IP:address [MASK:mask] [key LINE:rest]", (c, a) -> {
            int mask = a.ipOr("mask", HOST_MASK);
            c.block(KeyringBlock.class).keys.remove(List.of(a.ip("address") & mask, mask));
        });
        g.on(KEYRING, "no pre-shared-key hostname WORD:host [key LINE:rest]",
                (c, a) -> c.block(KeyringBlock.class).keys.remove(hostKey(a.text("host"))));
        g.on(KEYRING, "description LINE:text",
                (c, a) -> c.block(KeyringBlock.class).description = Optional.of(a.text("text")));
        g.on(KEYRING, "no description [LINE:rest]",
                (c, a) -> c.block(KeyringBlock.class).description = Optional.empty());
    }

    private static String hostKey(String host) {
        return "host:" + host.toLowerCase(Locale.ROOT);
    }

    private static void policy(IosGrammar g) {
        g.on(GLOBAL, "crypto isakmp policy INT(1-10000):priority", (c, a) -> {
            int priority = a.integer("priority");
            PolicyBlock b = c.policies.get(priority);
            if (b == null) {
                b = new PolicyBlock(c.where(a), priority);
                c.policies.put(priority, b);
            } else {
                c.warning(a.column("priority"), "duplicate priority: crypto isakmp policy " + priority
                        + " is already defined at line " + b.at.line() + "; these lines change that policy");
            }
            c.enter(ISAKMP_POLICY, b);
        });
        g.on(GLOBAL, "no crypto isakmp policy INT(1-10000):priority",
                (c, a) -> c.policies.remove(a.integer("priority")));
        g.on(ISAKMP_POLICY, "encryption {des|3des|aes [{128|192|256}:bits]}:encryption", (c, a) ->
                c.block(PolicyBlock.class).encryption = switch (a.text("encryption")) {
                    case "des" -> IkeEncryption.DES;
                    case "3des" -> IkeEncryption.TRIPLE_DES;
                    default -> switch (keySize(a, "bits")) {
                        case 192 -> IkeEncryption.AES_192;
                        case 256 -> IkeEncryption.AES_256;
                        default -> IkeEncryption.AES_128;
                    };
                });
        g.on(ISAKMP_POLICY, "hash {md5|sha|sha256|sha384|sha512}:hash",
                (c, a) -> c.block(PolicyBlock.class).hash = IkeHash.of(a.text("hash")));
        g.on(ISAKMP_POLICY, "authentication {pre-share|rsa-sig|rsa-encr}:auth",
                (c, a) -> c.block(PolicyBlock.class).authentication = IkeAuthentication.of(a.text("auth")));
        g.on(ISAKMP_POLICY, "group {1|2|5|14|15|16|19|20|21|24}:group",
                (c, a) -> c.block(PolicyBlock.class).group = DhGroupId.of(Integer.parseInt(a.text("group"))));
        g.on(ISAKMP_POLICY, "lifetime INT(60-86400):seconds",
                (c, a) -> c.block(PolicyBlock.class).lifetime = a.integer("seconds"));
        g.on(ISAKMP_POLICY, "no {encryption|hash|authentication|group|lifetime}:what [LINE:rest]", (c, a) -> {
            PolicyBlock b = c.block(PolicyBlock.class);
            IsakmpPolicy d = IsakmpPolicy.defaults(b.priority);
            switch (a.text("what")) {
                case "encryption" -> b.encryption = d.encryption();
                case "hash" -> b.hash = d.hash();
                case "authentication" -> b.authentication = d.authentication();
                case "group" -> b.group = d.group();
                default -> b.lifetime = d.lifetimeSeconds();
            }
        });
    }

    private static void isakmpGlobals(IosGrammar g) {
        g.on(GLOBAL, "crypto isakmp key [0] WORD:key address IP:address [MASK:mask] [no-xauth:noXauth]", (c, a) -> {
            if (a.has("mask") && !Validate.contiguousMask(c, a, "mask", "address")) {
                return;
            }
            int mask = a.ipOr("mask", HOST_MASK);
            c.isakmpKeys.put(List.of(a.ip("address") & mask, mask), c.place(
                    new PreSharedKey.ByAddress(a.ip("address"), mask, a.text("key"), a.has("noXauth")), a));
        });
        g.on(GLOBAL, "crypto isakmp key [0] WORD:key hostname WORD:host [no-xauth:noXauth]", (c, a) ->
                c.isakmpKeys.put(hostKey(a.text("host")), c.place(
                        new PreSharedKey.ByHostname(a.text("host"), a.text("key"), a.has("noXauth")), a)));
        g.on(GLOBAL, "no crypto isakmp key [0] WORD:key address IP:address [MASK:mask] [no-xauth]", (c, a) -> {
            int mask = a.ipOr("mask", HOST_MASK);
            c.isakmpKeys.remove(List.of(a.ip("address") & mask, mask));
        });
        g.on(GLOBAL, "no crypto isakmp key [0] WORD:key hostname WORD:host [no-xauth]",
                (c, a) -> c.isakmpKeys.remove(hostKey(a.text("host"))));
        g.on(GLOBAL, "crypto isakmp identity {address|hostname|dn}:identity", (c, a) ->
                c.identity = IsakmpGlobals.Identity.valueOf(a.text("identity").toUpperCase(Locale.ROOT)));
        g.on(GLOBAL, "no crypto isakmp identity [LINE:rest]", (c, a) -> c.identity = IsakmpGlobals.Identity.ADDRESS);
        g.on(GLOBAL, "crypto isakmp keepalive INT(10-3600):seconds [INT(2-60):retry] [{periodic|on-demand}:mode]",
                (c, a) -> c.keepalive = Optional.of(new IsakmpGlobals.Keepalive(a.integer("seconds"),
                        a.intOr("retry", IsakmpGlobals.Keepalive.DEFAULT_RETRY),
                        "periodic".equals(a.optText("mode").orElse("")))));
        g.on(GLOBAL, "no crypto isakmp keepalive [LINE:rest]", (c, a) -> c.keepalive = Optional.empty());
        g.on(GLOBAL, "crypto isakmp nat keepalive INT(5-3600):seconds",
                (c, a) -> c.natKeepalive = OptionalInt.of(a.integer("seconds")));
        g.on(GLOBAL, "no crypto isakmp nat keepalive [LINE:rest]", (c, a) -> c.natKeepalive = OptionalInt.empty());
        g.on(GLOBAL, "crypto isakmp aggressive-mode disable", (c, a) -> c.aggressiveModeDisabled = true);
        g.on(GLOBAL, "no crypto isakmp aggressive-mode disable", (c, a) -> c.aggressiveModeDisabled = false);
        g.on(GLOBAL, "crypto isakmp xauth timeout INT(1-90):seconds",
                (c, a) -> c.xauthTimeout = OptionalInt.of(a.integer("seconds")));
        g.on(GLOBAL, "no crypto isakmp xauth timeout [LINE:rest]", (c, a) -> c.xauthTimeout = OptionalInt.empty());
        g.on(GLOBAL, "crypto call admission limit ike in-negotiation-sa INT(10-99999):limit",
                (c, a) -> c.inNegotiationLimit = OptionalInt.of(a.integer("limit")));
        g.on(GLOBAL, "no crypto call admission limit ike in-negotiation-sa [LINE:rest]",
                (c, a) -> c.inNegotiationLimit = OptionalInt.empty());
        g.passive(GLOBAL, HEAD, "crypto call admission limit ike sa INT(0-99999):limit",
                "crypto call admission load LINE:rest");
    }

    private static void clientGroup(IosGrammar g) {
        g.on(GLOBAL, "crypto isakmp client configuration group WORD:name", (c, a) -> c.enter(CLIENT_GROUP,
                c.groups.computeIfAbsent(a.text("name"), n -> new GroupBlock(c.where(a), n))));
        g.on(GLOBAL, "no crypto isakmp client configuration group WORD:name",
                (c, a) -> c.groups.remove(a.text("name")));
        g.on(CLIENT_GROUP, "key [0] WORD:key", (c, a) -> {
            group(c).key = Optional.of(a.text("key"));
            group(c).mark("key", c.where(a, "key"));
        });
        g.on(CLIENT_GROUP, "dns IP:first [IP:second]", (c, a) -> group(c).dns = addresses(a));
        g.on(CLIENT_GROUP, "wins IP:first [IP:second]", (c, a) -> group(c).wins = addresses(a));
        g.on(CLIENT_GROUP, "domain WORD:domain", (c, a) -> group(c).domain = Optional.of(a.text("domain")));
        g.on(CLIENT_GROUP, "pool WORD:pool", (c, a) -> {
            group(c).pool = Optional.of(a.text("pool"));
            group(c).mark("pool", c.where(a, "pool"));
        });
        g.on(CLIENT_GROUP, "acl WORD:acl", (c, a) -> {
            group(c).acl = Optional.of(a.text("acl"));
            group(c).mark("acl", c.where(a, "acl"));
        });
        g.on(CLIENT_GROUP, "split-dns WORD:domain", (c, a) -> {
            if (!group(c).splitDns.contains(a.text("domain"))) {
                group(c).splitDns.add(a.text("domain"));
            }
        });
        g.on(CLIENT_GROUP, "banner TEXT:text",
                (c, a) -> group(c).banner = Optional.of(((DelimitedText) a.get("text")).content()));
        g.on(CLIENT_GROUP, "save-password", (c, a) -> group(c).savePassword = true);
        g.on(CLIENT_GROUP, "include-local-lan", (c, a) -> group(c).includeLocalLan = true);
        g.on(CLIENT_GROUP, "pfs", (c, a) -> group(c).pfs = true);
        g.on(CLIENT_GROUP, "backup-gateway WORD:gateway", (c, a) -> {
            if (!group(c).backupGateways.contains(a.text("gateway"))) {
                group(c).backupGateways.add(a.text("gateway"));
            }
        });
        g.on(CLIENT_GROUP, "max-users INT(1-5000):n", (c, a) -> group(c).maxUsers = OptionalInt.of(a.integer("n")));
        g.on(CLIENT_GROUP, "max-logins INT(1-10):n", (c, a) -> group(c).maxLogins = OptionalInt.of(a.integer("n")));
        g.on(CLIENT_GROUP, "netmask MASK:mask", (c, a) -> {
            if (Validate.contiguousMask(c, a, "mask", null)) {
                group(c).netmask = OptionalInt.of(a.ip("mask"));
            }
        });
        g.on(CLIENT_GROUP, "no {key|dns|wins|domain|pool|acl|banner|save-password|include-local-lan|pfs|max-users|"
                + "max-logins|netmask}:what [LINE:rest]", (c, a) -> {
            GroupBlock b = group(c);
            switch (a.text("what")) {
                case "key" -> b.key = Optional.empty();
                case "dns" -> b.dns = List.of();
                case "wins" -> b.wins = List.of();
                case "domain" -> b.domain = Optional.empty();
                case "pool" -> b.pool = Optional.empty();
                case "acl" -> b.acl = Optional.empty();
                case "banner" -> b.banner = Optional.empty();
                case "save-password" -> b.savePassword = false;
                case "include-local-lan" -> b.includeLocalLan = false;
                case "pfs" -> b.pfs = false;
                case "max-users" -> b.maxUsers = OptionalInt.empty();
                case "max-logins" -> b.maxLogins = OptionalInt.empty();
                default -> b.netmask = OptionalInt.empty();
            }
        });
        g.on(CLIENT_GROUP, "no split-dns WORD:domain", (c, a) -> group(c).splitDns.remove(a.text("domain")));
        g.on(CLIENT_GROUP, "no backup-gateway WORD:gateway",
                (c, a) -> group(c).backupGateways.remove(a.text("gateway")));
    }

    private static GroupBlock group(ParseContext c) {
        return c.block(GroupBlock.class);
    }

    private static List<Integer> addresses(Args a) {
        List<Integer> out = new ArrayList<>(2);
        out.add(a.ip("first"));
        if (a.has("second")) {
            out.add(a.ip("second"));
        }
        return out;
    }

    private static void profile(IosGrammar g) {
        g.on(GLOBAL, "crypto isakmp profile WORD:name", (c, a) -> c.enter(ISAKMP_PROFILE,
                c.profiles.computeIfAbsent(a.text("name"), n -> new ProfileBlock(c.where(a), n))));
        g.on(GLOBAL, "no crypto isakmp profile WORD:name", (c, a) -> c.profiles.remove(a.text("name")));
        g.on(ISAKMP_PROFILE, "description LINE:text", (c, a) -> profile(c).description = Optional.of(a.text("text")));
        g.on(ISAKMP_PROFILE, "no description [LINE:rest]", (c, a) -> profile(c).description = Optional.empty());
        g.on(ISAKMP_PROFILE, "keyring WORD:keyring", (c, a) -> {
            profile(c).keyring = Optional.of(a.text("keyring"));
            profile(c).mark("keyring", c.where(a, "keyring"));
        });
        g.on(ISAKMP_PROFILE, "no keyring [WORD:keyring]", (c, a) -> profile(c).keyring = Optional.empty());
        g.on(ISAKMP_PROFILE, "match identity address IP:address [MASK:mask]", (c, a) -> {
            if (a.has("mask") && !Validate.contiguousMask(c, a, "mask", "address")) {
                return;
            }
            addMatch(c, a, addressIdentity(a));
        });
        g.on(ISAKMP_PROFILE, "match identity group WORD:name", (c, a) ->
                addMatch(c, a, new MatchIdentity.Group(a.text("name"))));
        g.on(ISAKMP_PROFILE, "match identity host WORD:name", (c, a) ->
                addMatch(c, a, new MatchIdentity.Host(a.text("name"))));
        g.on(ISAKMP_PROFILE, "match identity host domain WORD:name", (c, a) ->
                addMatch(c, a, new MatchIdentity.HostDomain(a.text("name"))));
        g.on(ISAKMP_PROFILE, "match identity user WORD:name", (c, a) ->
                addMatch(c, a, new MatchIdentity.User(a.text("name"))));
        g.on(ISAKMP_PROFILE, "match identity user domain WORD:name", (c, a) ->
                addMatch(c, a, new MatchIdentity.UserDomain(a.text("name"))));
        g.on(ISAKMP_PROFILE, "no match identity address IP:address [MASK:mask]",
                (c, a) -> profile(c).matches.remove(addressIdentity(a)));
        g.on(ISAKMP_PROFILE, "no match identity group WORD:name",
                (c, a) -> profile(c).matches.remove(new MatchIdentity.Group(a.text("name"))));
        g.on(ISAKMP_PROFILE, "no match identity host WORD:name",
                (c, a) -> profile(c).matches.remove(new MatchIdentity.Host(a.text("name"))));
        g.on(ISAKMP_PROFILE, "no match identity host domain WORD:name",
                (c, a) -> profile(c).matches.remove(new MatchIdentity.HostDomain(a.text("name"))));
        g.on(ISAKMP_PROFILE, "no match identity user WORD:name",
                (c, a) -> profile(c).matches.remove(new MatchIdentity.User(a.text("name"))));
        g.on(ISAKMP_PROFILE, "no match identity user domain WORD:name",
                (c, a) -> profile(c).matches.remove(new MatchIdentity.UserDomain(a.text("name"))));
        g.on(ISAKMP_PROFILE, "self-identity {address|fqdn|user-fqdn WORD:value}:kind", (c, a) ->
                profile(c).selfIdentity = Optional.of(new IsakmpProfile.SelfIdentity(
                        IsakmpProfile.SelfIdentity.Kind.valueOf(a.text("kind").toUpperCase(Locale.ROOT)
                                .replace('-', '_')), a.optText("value"))));
        g.on(ISAKMP_PROFILE, "no self-identity [LINE:rest]", (c, a) -> profile(c).selfIdentity = Optional.empty());
        g.on(ISAKMP_PROFILE, "client authentication list WORD:list", (c, a) -> {
            profile(c).clientAuthenticationList = Optional.of(a.text("list"));
            profile(c).mark("client-authentication-list", c.where(a, "list"));
        });
        g.on(ISAKMP_PROFILE, "no client authentication list [LINE:rest]",
                (c, a) -> profile(c).clientAuthenticationList = Optional.empty());
        g.on(ISAKMP_PROFILE, "isakmp authorization list WORD:list", (c, a) -> {
            profile(c).isakmpAuthorizationList = Optional.of(a.text("list"));
            profile(c).mark("isakmp-authorization-list", c.where(a, "list"));
        });
        g.on(ISAKMP_PROFILE, "client accounting list WORD:list", (c, a) -> {
            profile(c).clientAccountingList = Optional.of(a.text("list"));
            profile(c).mark("client-accounting-list", c.where(a, "list"));
        });
        g.on(ISAKMP_PROFILE, "no client accounting list [LINE:rest]",
                (c, a) -> profile(c).clientAccountingList = Optional.empty());
        g.on(ISAKMP_PROFILE, "no isakmp authorization list [LINE:rest]",
                (c, a) -> profile(c).isakmpAuthorizationList = Optional.empty());
        g.on(ISAKMP_PROFILE, "client configuration address {respond|initiate}:direction",
                (c, a) -> setClientConfiguration(profile(c), a.text("direction"), true));
        g.on(ISAKMP_PROFILE, "no client configuration address {respond|initiate}:direction",
                (c, a) -> setClientConfiguration(profile(c), a.text("direction"), false));
        g.on(ISAKMP_PROFILE, "initiate mode aggressive", (c, a) -> profile(c).initiateAggressive = true);
        g.on(ISAKMP_PROFILE, "no initiate mode aggressive", (c, a) -> profile(c).initiateAggressive = false);
        g.on(ISAKMP_PROFILE, "keepalive INT(10-3600):seconds retry INT(2-60):retry", (c, a) ->
                profile(c).keepalive = Optional.of(new IsakmpProfile.Keepalive(a.integer("seconds"),
                        a.integer("retry"))));
        g.on(ISAKMP_PROFILE, "no keepalive [LINE:rest]", (c, a) -> profile(c).keepalive = Optional.empty());
    }

    private static ProfileBlock profile(ParseContext c) {
        return c.block(ProfileBlock.class);
    }

    /** Without a mask, 0.0.0.0 is IOS's "any address" and any other address a single host. */
    private static MatchIdentity.Address addressIdentity(Args a) {
        int address = a.ip("address");
        int mask = a.ipOr("mask", address == 0 ? 0 : HOST_MASK);
        return new MatchIdentity.Address(address & mask, mask);
    }

    private static void addMatch(ParseContext c, Args a, MatchIdentity m) {
        if (!profile(c).matches.contains(m)) {
            profile(c).matches.add(c.place(m, a));
            c.source.put(m, "name", c.where(a, "name"));
        }
    }

    private static void setClientConfiguration(ProfileBlock p, String direction, boolean on) {
        if (direction.equals("respond")) {
            p.respond = on;
        } else {
            p.initiate = on;
        }
    }

    private static void transformSet(IosGrammar g) {
        g.fragment("TRANSFORM", "{esp-des|esp-3des|esp-aes [{128|192|256}:bits]|esp-gcm [{128|256}:bits]|esp-null|"
                + "esp-md5-hmac|esp-sha-hmac|esp-sha256-hmac|esp-sha384-hmac|esp-sha512-hmac}:name");
        g.on(GLOBAL, "crypto ipsec transform-set WORD:name TRANSFORM:transform+", CryptoCommands::transforms);
        g.on(GLOBAL, "no crypto ipsec transform-set WORD:name", (c, a) -> c.transformSets.remove(a.text("name")));
        g.on(TRANSFORM_SET, "mode {tunnel|transport}:mode", (c, a) ->
                c.block(TransformBlock.class).mode = IpsecMode.valueOf(a.text("mode").toUpperCase(Locale.ROOT)));
        g.on(TRANSFORM_SET, "no mode [LINE:rest]", (c, a) -> c.block(TransformBlock.class).mode = IpsecMode.TUNNEL);
        g.on(GLOBAL, "crypto ipsec security-association lifetime seconds INT(120-86400):seconds",
                (c, a) -> c.ipsecLifetimeSeconds = a.integer("seconds"));
        g.on(GLOBAL, "crypto ipsec security-association lifetime kilobytes INT(2560-536870912):kilobytes",
                (c, a) -> c.ipsecLifetimeKilobytes = a.integer("kilobytes"));
        g.on(GLOBAL, "crypto ipsec security-association lifetime kilobytes disable",
                (c, a) -> c.ipsecLifetimeKilobytes = IpsecGlobals.KILOBYTES_DISABLED);
        g.on(GLOBAL, "no crypto ipsec security-association lifetime {seconds|kilobytes}:what [LINE:rest]", (c, a) -> {
            if (a.text("what").equals("seconds")) {
                c.ipsecLifetimeSeconds = IpsecGlobals.DEFAULT_SECONDS;
            } else {
                c.ipsecLifetimeKilobytes = IpsecGlobals.DEFAULT_KILOBYTES;
            }
        });
    }

    /** A key size written as a keyword ({@code aes 256}); 128 when absent. */
    private static int keySize(Args a, String name) {
        return Integer.parseInt(a.optText(name).orElse("128"));
    }

    private static void transforms(ParseContext c, Args a) {
        EspCipher cipher = null;
        EspIntegrity integrity = null;
        for (Args transform : a.fragments("transform")) {
            String t = transform.text("name");
            int column = transform.startColumn();
            if (t.endsWith("-hmac")) {
                if (integrity != null) {
                    c.error(column, "% Only one integrity transform is allowed: " + integrity.keyword()
                            + " is already given");
                    return;
                }
                integrity = EspIntegrity.of(t);
            } else {
                if (cipher != null) {
                    c.error(column, "% Only one encryption transform is allowed: " + cipher.keyword()
                            + " is already given");
                    return;
                }
                int bits = keySize(transform, "bits");
                cipher = switch (t) {
                    case "esp-des" -> EspCipher.DES;
                    case "esp-3des" -> EspCipher.TRIPLE_DES;
                    case "esp-null" -> EspCipher.NULL;
                    case "esp-gcm" -> bits == 256 ? EspCipher.GCM_256 : EspCipher.GCM_128;
                    default -> bits == 256 ? EspCipher.AES_256 : bits == 192 ? EspCipher.AES_192 : EspCipher.AES_128;
                };
            }
            if (cipher != null && cipher.aead() && integrity != null) {
                c.error(column, "% " + cipher.keyword() + " provides its own integrity: it cannot be combined with "
                        + integrity.keyword());
                return;
            }
        }
        TransformBlock b = c.transformSets.computeIfAbsent(a.text("name"), n -> new TransformBlock(c.where(a), n));
        b.cipher = Optional.ofNullable(cipher);
        b.integrity = Optional.ofNullable(integrity);
        c.enter(TRANSFORM_SET, b);
    }

    private static void maps(IosGrammar g) {
        g.on(GLOBAL, "crypto dynamic-map WORD:name INT(1-65535):seq", (c, a) -> {
            TreeMap<Integer, MapEntryBlock> entries = c.dynamicMaps.computeIfAbsent(a.text("name"),
                    n -> new TreeMap<>());
            MapEntryBlock b = entry(c, a, entries, true, false);
            if (b != null) {
                c.enter(MAP_ENTRY, b);
            }
        });
        g.on(GLOBAL, "no crypto dynamic-map WORD:name [INT(1-65535):seq]",
                (c, a) -> removeEntry(c.dynamicMaps, a));
        // The source address is the crypto map interface's, which is what local-address names in most configurations.
        g.passive(GLOBAL, HEAD, "crypto map WORD:name local-address WORD:interface",
                "crypto map WORD:name redundancy LINE:rest");
        // Remote access configured on the map, as before ISAKMP profiles (IOS 12.2T): vpnrouter reads it from
        // the profile only. Kept, and said loudly, since clients would otherwise connect without Xauth.
        for (String what : List.of("client authentication list", "isakmp authorization list",
                "client configuration address")) {
            g.on(GLOBAL, "crypto map WORD:name " + what.replace(" ", ":what ") + ":what LINE:rest", (c, a) -> {
                c.passive(a, HEAD);
                c.warning(a.column("what"), "not acted on: vpnrouter takes '" + what + "' from the ISAKMP profile "
                        + "that matches the client's group (crypto isakmp profile ... match identity group G); move "
                        + "it there");
            });
        }
        g.on(GLOBAL, "crypto map WORD:name INT(1-65535):seq [ipsec-isakmp [dynamic WORD:dynamic]]", (c, a) -> {
            TreeMap<Integer, MapEntryBlock> entries = c.cryptoMaps.computeIfAbsent(a.text("name"),
                    n -> new TreeMap<>());
            MapEntryBlock b = entry(c, a, entries, false, a.has("dynamic"));
            if (b == null) {
                return;
            }
            if (a.has("dynamic")) {
                b.dynamicMap = Optional.of(a.text("dynamic"));
                b.mark("dynamic", c.where(a, "dynamic"));
                c.enter(GLOBAL, null);
            } else {
                c.enter(MAP_ENTRY, b);
            }
        });
        g.on(GLOBAL, "no crypto map WORD:name [INT(1-65535):seq]", (c, a) -> removeEntry(c.cryptoMaps, a));
        mapEntry(g);
    }

    /** Opens or re-opens an entry; a sequence number given twice is worth a warning, a change of kind an error. */
    private static MapEntryBlock entry(ParseContext c, Args a, TreeMap<Integer, MapEntryBlock> entries,
                                       boolean inDynamicMap, boolean dynamicRef) {
        int seq = a.integer("seq");
        MapEntryBlock b = entries.get(seq);
        if (b == null) {
            b = new MapEntryBlock(c.where(a), a.text("name"), seq, inDynamicMap);
            entries.put(seq, b);
            return b;
        }
        if (!inDynamicMap && b.dynamicMap.isPresent() != dynamicRef) {
            c.error(a.column("seq"), "% " + b.title() + " (line " + b.at.line() + ") is "
                    + (dynamicRef ? "a static entry: it cannot become dynamic" : "dynamic: it cannot take settings"));
            return null;
        }
        c.warning(a.column("seq"), "duplicate sequence number: " + b.title() + " is already defined at line "
                + b.at.line() + "; IOS adds these settings to that entry");
        return b;
    }

    private static void removeEntry(Map<String, TreeMap<Integer, MapEntryBlock>> maps, Args a) {
        if (a.has("seq")) {
            TreeMap<Integer, MapEntryBlock> entries = maps.get(a.text("name"));
            if (entries != null) {
                entries.remove(a.integer("seq"));
                if (entries.isEmpty()) {
                    maps.remove(a.text("name"));
                }
            }
        } else {
            maps.remove(a.text("name"));
        }
    }

    private static MapEntryBlock mapEntry(ParseContext c) {
        return c.block(MapEntryBlock.class);
    }

    private static void mapEntry(IosGrammar g) {
        // "default": the peer tried first (and returned to); vpnrouter tries peers in order, so it goes first.
        g.on(MAP_ENTRY, "set peer {IP:address | WORD:hostname} [default:first]", (c, a) -> {
            MapPeer peer;
            if (a.has("address")) {
                peer = new MapPeer.Address(a.ip("address"));
            } else if (a.text("hostname").matches("[0-9.]+")) {
                c.error(a.column("hostname"), "% Invalid peer address " + a.text("hostname"));
                return;
            } else {
                peer = new MapPeer.Hostname(a.text("hostname"));
            }
            if (a.has("first")) {
                mapEntry(c).peers.remove(peer);
                mapEntry(c).peers.addFirst(c.place(peer, a));
            } else if (!mapEntry(c).peers.contains(peer)) {
                mapEntry(c).peers.add(c.place(peer, a));
            }
        });
        g.on(MAP_ENTRY, "no set peer {IP:address | WORD:hostname}", (c, a) -> mapEntry(c).peers.remove(
                a.has("address") ? new MapPeer.Address(a.ip("address")) : new MapPeer.Hostname(a.text("hostname"))));
        g.on(MAP_ENTRY, "set transform-set WORD:name+", (c, a) -> {
            List<String> names = a.all("name").stream().map(String.class::cast).toList();
            List<Integer> columns = a.columns("name");
            if (names.size() > 6) {
                c.error(columns.get(6), "% At most 6 transform sets can be set on one entry");
                return;
            }
            MapEntryBlock b = mapEntry(c);
            b.transformSets = names.stream().distinct().toList();
            for (int i = 0; i < names.size(); i++) {
                b.mark("transform-set:" + names.get(i), new SourceMap.Where(c.line, columns.get(i)));
            }
        });
        g.on(MAP_ENTRY, "no set transform-set [LINE:rest]", (c, a) -> mapEntry(c).transformSets = List.of());
        g.on(MAP_ENTRY, "set isakmp-profile WORD:profile", (c, a) -> {
            mapEntry(c).isakmpProfile = Optional.of(a.text("profile"));
            mapEntry(c).mark("isakmp-profile", c.where(a, "profile"));
        });
        g.on(MAP_ENTRY, "no set isakmp-profile [LINE:rest]", (c, a) -> mapEntry(c).isakmpProfile = Optional.empty());
        g.on(MAP_ENTRY, "set pfs [{group1|group2|group5|group14|group15|group16|group19|group20|group21|group24}:group]",
                (c, a) -> mapEntry(c).pfs = Optional.of(DhGroupId.of(Integer.parseInt(
                        a.optText("group").orElse("group1").substring("group".length())))));
        g.on(MAP_ENTRY, "no set pfs [LINE:rest]", (c, a) -> mapEntry(c).pfs = Optional.empty());
        g.on(MAP_ENTRY, "set security-association lifetime seconds INT(120-86400):seconds",
                (c, a) -> mapEntry(c).lifetimeSeconds = OptionalInt.of(a.integer("seconds")));
        g.on(MAP_ENTRY, "set security-association lifetime kilobytes INT(2560-536870912):kilobytes",
                (c, a) -> mapEntry(c).lifetimeKilobytes = OptionalLong.of(a.integer("kilobytes")));
        g.on(MAP_ENTRY, "set security-association lifetime kilobytes disable",
                (c, a) -> mapEntry(c).lifetimeKilobytes = OptionalLong.of(IpsecGlobals.KILOBYTES_DISABLED));
        g.on(MAP_ENTRY, "no set security-association lifetime {seconds|kilobytes}:what [LINE:rest]", (c, a) -> {
            if (a.text("what").equals("seconds")) {
                mapEntry(c).lifetimeSeconds = OptionalInt.empty();
            } else {
                mapEntry(c).lifetimeKilobytes = OptionalLong.empty();
            }
        });
        g.on(MAP_ENTRY, "match address WORD:acl", (c, a) -> {
            mapEntry(c).matchAddress = Optional.of(a.text("acl"));
            mapEntry(c).mark("match-address", c.where(a, "acl"));
        });
        g.on(MAP_ENTRY, "no match address [LINE:rest]", (c, a) -> mapEntry(c).matchAddress = Optional.empty());
        g.on(MAP_ENTRY, "reverse-route [static]", (c, a) -> mapEntry(c).reverseRoute = true);
        g.on(MAP_ENTRY, "no reverse-route [LINE:rest]", (c, a) -> mapEntry(c).reverseRoute = false);
        g.on(MAP_ENTRY, "description LINE:text", (c, a) -> mapEntry(c).description = Optional.of(a.text("text")));
        g.on(MAP_ENTRY, "no description [LINE:rest]", (c, a) -> mapEntry(c).description = Optional.empty());
    }
}
