package dev.vpnrouter.config;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.Blocks.InterfaceBlock;
import dev.vpnrouter.config.Blocks.LineBuilder;
import dev.vpnrouter.config.Blocks.RadiusBlock;
import dev.vpnrouter.config.model.AaaMethod;
import dev.vpnrouter.config.model.AaaMethodList;
import dev.vpnrouter.config.model.IpLocalPool;
import dev.vpnrouter.config.model.LineBlock;
import dev.vpnrouter.config.model.LocalUser;
import dev.vpnrouter.config.model.Password;
import dev.vpnrouter.config.model.Radius;
import dev.vpnrouter.config.model.RadiusServer;
import dev.vpnrouter.config.model.StaticRoute;
import dev.vpnrouter.config.secret.Md5Crypt;
import dev.vpnrouter.config.secret.Type7;
import dev.vpnrouter.config.syntax.Args;
import dev.vpnrouter.config.syntax.DelimitedText;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

import static dev.vpnrouter.config.Mode.GLOBAL;
import static dev.vpnrouter.config.Mode.RADIUS_SERVER;
import static dev.vpnrouter.config.Mode.SERVER_GROUP_RADIUS;
import static dev.vpnrouter.config.model.PassiveLine.Placement.HEAD;
import static dev.vpnrouter.config.model.PassiveLine.Placement.TAIL;
import static dev.vpnrouter.config.model.PassiveLine.Placement.TOP;

/** Global commands outside crypto, interfaces, ACLs and lines: identity, users, AAA, RADIUS, pools, routes. */
final class GlobalCommands {
    private GlobalCommands() {
    }

    static void define(IosGrammar g) {
        g.on(GLOBAL, "hostname WORD:name", (c, a) -> c.hostname = Optional.of(a.text("name")));
        g.on(GLOBAL, "no hostname [WORD:name]", (c, a) -> c.hostname = Optional.empty());
        g.on(GLOBAL, "service password-encryption", (c, a) -> c.passwordEncryption = true);
        g.on(GLOBAL, "no service password-encryption", (c, a) -> c.passwordEncryption = false);

        g.on(GLOBAL, "enable secret [{0|5}:type] WORD:secret", (c, a) ->
                secret(c, a, "secret", "enable").ifPresent(p -> c.enableSecret = Optional.of(p)));
        g.on(GLOBAL, "no enable secret [LINE:rest]", (c, a) -> c.enableSecret = Optional.empty());
        g.on(GLOBAL, "login block-for INT(1-65535):block attempts INT(1-65535):attempts within INT(1-65535):within",
                (c, a) -> c.loginBlock = Optional.of(new dev.vpnrouter.config.model.LoginBlock(a.integer("block"),
                        a.integer("attempts"), a.integer("within"))));
        g.on(GLOBAL, "no login block-for [LINE:rest]", (c, a) -> c.loginBlock = Optional.empty());
        g.on(GLOBAL, "enable password [{0|7}:type] WORD:password", (c, a) ->
                password(c, a, "password").ifPresent(p -> c.enablePassword = Optional.of(p)));
        g.on(GLOBAL, "no enable password [LINE:rest]", (c, a) -> c.enablePassword = Optional.empty());

        g.on(GLOBAL, "username WORD:name [privilege INT(0-15):privilege] password [{0|7}:type] WORD:password",
                (c, a) -> password(c, a, "password").ifPresent(p -> user(c, a, p)));
        g.on(GLOBAL, "username WORD:name [privilege INT(0-15):privilege] secret [{0|5}:type] WORD:secret",
                (c, a) -> secret(c, a, "secret", a.text("name")).ifPresent(p -> user(c, a, p)));
        g.on(GLOBAL, "no username WORD:name [LINE:rest]", (c, a) -> {
            c.users.remove(a.text("name"));
            c.userAt.remove(a.text("name"));
        });

        aaa(g);
        radius(g);

        g.on(GLOBAL, "ip local pool WORD:name IP:first [IP:last]", (c, a) -> {
            int first = a.ip("first");
            int last = a.ipOr("last", first);
            if (Integer.compareUnsigned(last, first) < 0) {
                c.error(a.column("last"), "% Invalid address range: " + Ipv4.format(last) + " is below "
                        + Ipv4.format(first));
                return;
            }
            c.pools.add(c.place(new IpLocalPool(a.text("name"), first, last), a));
        });
        g.on(GLOBAL, "no ip local pool WORD:name [LINE:rest]",
                (c, a) -> c.pools.removeIf(p -> p.name().equals(a.text("name"))));

        g.on(GLOBAL, "ip route IP:prefix MASK:mask {IP:via | IFNAME:interface [IP:via]} [INT(1-255):distance] "
                + "[name WORD:name] [permanent:permanent]", GlobalCommands::route);
        g.on(GLOBAL, "no ip route IP:prefix MASK:mask [LINE:rest]", (c, a) -> c.routes.values().removeIf(r ->
                r.prefix() == a.ip("prefix") && r.mask() == a.ip("mask")));

        g.on(GLOBAL, "interface IFNAME:name", (c, a) -> {
            String name = a.text("name");
            c.enter(Mode.INTERFACE, c.interfaces.computeIfAbsent(name, n -> new InterfaceBlock(c.where(a), n)));
        });
        g.on(GLOBAL, "no interface IFNAME:name", (c, a) -> c.interfaces.remove(a.text("name")));

        g.on(GLOBAL, "line {con|aux|vty}:kind INT(0-1000):first [INT(0-1000):last]", (c, a) -> {
            LineBlock.Kind kind = LineBlock.Kind.valueOf(a.text("kind").toUpperCase(Locale.ROOT));
            int first = a.integer("first");
            int last = a.intOr("last", first);
            if (last < first) {
                c.error(a.column("last"), "% Invalid line range: " + last + " is below " + first);
                return;
            }
            String key = kind.keyword() + " " + first + " " + last;
            c.enter(Mode.LINE, c.lines.computeIfAbsent(key, k -> new LineBuilder(c.where(a), kind, first, last)));
        });

        passives(g);
    }

    private static void aaa(IosGrammar g) {
        g.on(GLOBAL, "aaa new-model", (c, a) -> c.aaaNewModel = true);
        g.on(GLOBAL, "no aaa new-model", (c, a) -> c.aaaNewModel = false);
        g.fragment("METHOD", "{local|local-case|none|enable|line|if-authenticated|group WORD:group}:kind");
        String methods = "METHOD:method+";
        g.on(GLOBAL, "aaa authentication login WORD:list " + methods, (c, a) ->
                methodList(c, a).ifPresent(l -> c.authenticationLogin.put(l.name(), c.place(l, a))));
        g.on(GLOBAL, "aaa authorization network WORD:list " + methods, (c, a) ->
                methodList(c, a).ifPresent(l -> c.authorizationNetwork.put(l.name(), c.place(l, a))));
        g.on(GLOBAL, "no aaa authentication login WORD:list [LINE:rest]",
                (c, a) -> c.authenticationLogin.remove(a.text("list")));
        g.on(GLOBAL, "no aaa authorization network WORD:list [LINE:rest]",
                (c, a) -> c.authorizationNetwork.remove(a.text("list")));
        // IOS's network accounting for VPN sessions: start-stop records through the list's servers.
        g.on(GLOBAL, "aaa accounting network WORD:list start-stop " + methods, (c, a) ->
                methodList(c, a).ifPresent(l -> c.accountingNetwork.put(l.name(), c.place(l, a))));
        g.on(GLOBAL, "no aaa accounting network WORD:list [LINE:rest]",
                (c, a) -> c.accountingNetwork.remove(a.text("list")));
        g.on(GLOBAL, "aaa accounting update periodic INT(1-71582):minutes", (c, a) -> {
            c.accountingPeriodicMinutes = a.integer("minutes");
            c.accountingNewinfo = false;
        });
        // IOS's common form: an Interim-Update on new information as well. Our Start waits for Mode Config and
        // carries the address already, so newinfo adds no record of its own; the period is what acts.
        g.on(GLOBAL, "aaa accounting update newinfo periodic INT(1-71582):minutes", (c, a) -> {
            c.accountingPeriodicMinutes = a.integer("minutes");
            c.accountingNewinfo = true;
        });
        g.on(GLOBAL, "aaa accounting update newinfo", (c, a) -> {
            c.accountingPeriodicMinutes = 0;
            c.accountingNewinfo = true;
        });
        g.on(GLOBAL, "no aaa accounting update [LINE:rest]", (c, a) -> {
            c.accountingPeriodicMinutes = 0;
            c.accountingNewinfo = false;
        });
        g.passive(GLOBAL, HEAD,
                "aaa session-id LINE:rest",
                "aaa authentication {enable|ppp|dot1x|attempts|banner|password-prompt|username-prompt}:what "
                        + "LINE:rest",
                "aaa authorization {exec|commands|console|config-commands|reverse-access|auth-proxy}:what LINE:rest",
                "aaa accounting LINE:rest");
    }

    /** IOS takes up to four methods, tried in order. */
    private static Optional<AaaMethodList> methodList(ParseContext c, Args a) {
        List<Args> given = a.fragments("method");
        if (given.size() > 4) {
            c.error(given.get(4).startColumn(), "% At most 4 methods can be listed");
            return Optional.empty();
        }
        List<AaaMethod> methods = new ArrayList<>();
        for (Args m : given) {
            String kind = m.text("kind");
            methods.add(kind.equals("group") ? AaaMethod.group(m.text("group"))
                    : AaaMethod.of(AaaMethod.Kind.valueOf(kind.toUpperCase(Locale.ROOT).replace('-', '_'))));
        }
        return Optional.of(new AaaMethodList(a.text("list"), methods));
    }

    private static void member(ParseContext c, Radius.Member m) {
        List<Radius.Member> members = c.block(Blocks.RadiusGroupBlock.class).members;
        if (!members.contains(m)) {
            members.add(m);
        }
    }

    private static void radius(IosGrammar g) {
        g.on(GLOBAL, "radius-server host IP:address [auth-port INT(0-65535):auth] [acct-port INT(0-65535):acct] "
                + "[key WORD:key]", (c, a) -> c.radiusHosts.put(a.ip("address"), c.place(new RadiusServer(
                Optional.empty(), a.ip("address"), a.intOr("auth", RadiusServer.DEFAULT_AUTH_PORT),
                a.intOr("acct", RadiusServer.DEFAULT_ACCT_PORT), a.optText("key")), a)));
        g.on(GLOBAL, "no radius-server host IP:address [LINE:rest]", (c, a) -> c.radiusHosts.remove(a.ip("address")));
        g.on(GLOBAL, "radius-server key WORD:key", (c, a) -> c.radiusKey = Optional.of(a.text("key")));
        g.on(GLOBAL, "no radius-server key [LINE:rest]", (c, a) -> c.radiusKey = Optional.empty());
        g.on(GLOBAL, "radius-server timeout INT(1-1000):seconds", (c, a) -> c.radiusTimeout = a.integer("seconds"));
        g.on(GLOBAL, "no radius-server timeout [LINE:rest]", (c, a) -> c.radiusTimeout = Radius.DEFAULT_TIMEOUT_SECONDS);
        g.on(GLOBAL, "radius-server retransmit INT(0-100):times", (c, a) -> c.radiusRetransmits = a.integer("times"));
        g.on(GLOBAL, "no radius-server retransmit [LINE:rest]", (c, a) -> c.radiusRetransmits
                = Radius.DEFAULT_RETRANSMITS);
        g.on(GLOBAL, "radius-server deadtime INT(0-1440):minutes", (c, a) -> c.radiusDeadtime = a.integer("minutes"));
        g.on(GLOBAL, "no radius-server deadtime [LINE:rest]", (c, a) -> c.radiusDeadtime = 0);
        g.passive(GLOBAL, TAIL, "radius-server {source-ports|attribute|vsa|dead-criteria|retry}:what LINE:rest");
        g.on(GLOBAL, "ip radius source-interface WORD:interface", (c, a) -> c.radiusSourceInterface
                = Optional.of(a.text("interface")));
        g.on(GLOBAL, "no ip radius source-interface [LINE:rest]", (c, a) -> c.radiusSourceInterface = Optional.empty());
        g.on(GLOBAL, "aaa group server radius WORD:name", (c, a) -> c.enter(SERVER_GROUP_RADIUS,
                c.radiusGroups.computeIfAbsent(a.text("name"), n -> new Blocks.RadiusGroupBlock(c.where(a), n))));
        g.on(GLOBAL, "no aaa group server radius WORD:name", (c, a) -> c.radiusGroups.remove(a.text("name")));
        g.on(SERVER_GROUP_RADIUS, "server name WORD:server", (c, a) -> member(c, new Radius.Member(
                Optional.of(a.text("server")), 0)));
        g.on(SERVER_GROUP_RADIUS, "no server name WORD:server", (c, a) -> c.block(Blocks.RadiusGroupBlock.class)
                .members.remove(new Radius.Member(Optional.of(a.text("server")), 0)));
        g.on(SERVER_GROUP_RADIUS, "server IP:address [auth-port INT(0-65535):auth] [acct-port INT(0-65535):acct]",
                (c, a) -> member(c, new Radius.Member(Optional.empty(), a.ip("address"))));
        g.on(SERVER_GROUP_RADIUS, "no server IP:address [LINE:rest]", (c, a) -> c.block(Blocks.RadiusGroupBlock.class)
                .members.remove(new Radius.Member(Optional.empty(), a.ip("address"))));
        g.on(GLOBAL, "radius server WORD:name", (c, a) -> c.enter(RADIUS_SERVER,
                c.radiusServers.computeIfAbsent(a.text("name"), n -> new RadiusBlock(c.where(a), n))));
        g.on(GLOBAL, "no radius server WORD:name", (c, a) -> c.radiusServers.remove(a.text("name")));
        g.on(RADIUS_SERVER, "address ipv4 IP:address [auth-port INT(0-65535):auth] [acct-port INT(0-65535):acct]",
                (c, a) -> {
                    RadiusBlock r = c.block(RadiusBlock.class);
                    r.address = a.ip("address");
                    r.authPort = a.intOr("auth", RadiusServer.DEFAULT_AUTH_PORT);
                    r.acctPort = a.intOr("acct", RadiusServer.DEFAULT_ACCT_PORT);
                });
        g.on(RADIUS_SERVER, "key [0] WORD:key", (c, a) -> c.block(RadiusBlock.class).key = Optional.of(a.text("key")));
        g.on(RADIUS_SERVER, "no key [LINE:rest]", (c, a) -> c.block(RadiusBlock.class).key = Optional.empty());
    }

    private static void route(ParseContext c, Args a) {
        if (!Validate.contiguousMask(c, a, "mask", "prefix") || !Validate.prefixMatchesMask(c, a, "prefix", "mask")) {
            return;
        }
        StaticRoute r = new StaticRoute(a.ip("prefix"), a.ip("mask"), a.optText("interface"),
                a.has("via") ? OptionalInt.of(a.ip("via")) : OptionalInt.empty(),
                a.intOr("distance", StaticRoute.DEFAULT_DISTANCE), a.optText("name"), a.has("permanent"));
        c.routes.put(List.of(r.prefix(), r.mask(), r.outInterface(), r.nextHop()), c.place(r, a));
    }

    private static void user(ParseContext c, Args a, Password p) {
        String name = a.text("name");
        c.users.put(name, new LocalUser(name, a.optInt("privilege"), p));
        c.userAt.put(name, c.where(a));
    }

    /** {@code password [0|7] X}: type 7 must decode. */
    static Optional<Password> password(ParseContext c, Args a, String arg) {
        String text = a.text(arg);
        if ("7".equals(a.optText("type").orElse("0"))) {
            if (Type7.decode(text).isEmpty()) {
                c.error(a.column(arg), "% Invalid encrypted password: not a type 7 string");
                return Optional.empty();
            }
            return Optional.of(new Password.Type7Encoded(text.toUpperCase(Locale.ROOT)));
        }
        return Optional.of(new Password.Clear(text));
    }

    /**
     * {@code secret 5 HASH} must be an md5-crypt string; a clear secret is hashed as IOS does, with a salt derived
     * from {@code saltSeed} and the secret so that parsing is a pure function of the text.
     */
    private static Optional<Password> secret(ParseContext c, Args a, String arg, String saltSeed) {
        String text = a.text(arg);
        if ("5".equals(a.optText("type").orElse("0"))) {
            if (!Md5Crypt.isWellFormed(text)) {
                c.error(a.column(arg), "% Invalid encrypted secret: expected $1$salt$hash");
                return Optional.empty();
            }
            return Optional.of(new Password.Secret5(text));
        }
        return Optional.of(new Password.Secret5(Md5Crypt.crypt(text, salt(saltSeed + "\0" + text))));
    }

    private static String salt(String seed) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            String alphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
            StringBuilder s = new StringBuilder(4);
            for (int i = 0; i < 4; i++) {
                s.append(alphabet.charAt(h[i] & 0x3f));
            }
            return s.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Commands seen in real configurations that vpnrouter keeps and prints but does not act on. */
    private static void passives(IosGrammar g) {
        String services = "{timestamps|sequence-numbers|tcp-keepalives-in|tcp-keepalives-out|config|pad|"
                + "udp-small-servers|tcp-small-servers|compress-config|internal|nagle|dhcp|slave-log|linenumber}:what";
        g.passive(GLOBAL, TOP,
                "version LINE:version",
                "service " + services + " [LINE:rest]",
                "no service " + services + " [LINE:rest]",
                "boot-start-marker",
                "boot-end-marker",
                "boot LINE:rest",
                "no boot LINE:rest");
        g.passive(GLOBAL, HEAD,
                "logging LINE:rest",
                "no logging LINE:rest",
                "ip subnet-zero",
                "no ip subnet-zero",
                "ip cef [LINE:rest]",
                "no ip cef [LINE:rest]",
                "ip domain {lookup|name|list|retry|timeout}:what [LINE:rest]",
                "no ip domain {lookup|name|list|retry|timeout}:what [LINE:rest]",
                "ip domain-name WORD:name",
                "ip domain-lookup",
                "no ip domain-lookup",
                "ip name-server LINE:rest",
                "ip host LINE:rest",
                "ip source-route",
                "no ip source-route",
                "ip ssh LINE:rest",
                "ip multicast-routing [LINE:rest]",
                "no ip bootp server",
                "ip inspect LINE:rest",
                "ip audit LINE:rest",
                "ip auth-proxy LINE:rest",
                "ip admission LINE:rest",
                "clock LINE:rest",
                "memory-size LINE:rest",
                "multilink bundle-name LINE:rest",
                "vpdn enable",
                "isdn switch-type LINE:rest",
                "cdp run",
                "no cdp run",
                "errdisable LINE:rest",
                "no network-clock-participate LINE:rest");
        g.passive(GLOBAL, TAIL,
                "ip classless",
                "no ip classless",
                "ip http LINE:rest",
                "no ip http LINE:rest",
                "ip forward-protocol LINE:rest",
                "ip nat LINE:rest",
                "snmp-server LINE:rest",
                "no snmp-server LINE:rest",
                "ntp LINE:rest",
                "call LINE:rest",
                "no call LINE:rest",
                "mgcp [LINE:rest]",
                "no mgcp [LINE:rest]",
                "alias LINE:rest",
                "scheduler LINE:rest",
                "privilege LINE:rest",
                "tftp-server LINE:rest");
        g.on(GLOBAL, "banner {motd|login|exec|incoming|slip-ppp}:kind TEXT:text", (c, a) -> {
            DelimitedText t = (DelimitedText) a.get("text");
            c.passive(a, "banner " + a.text("kind") + " " + DelimitedText.wrap(t.content()), TAIL);
        });
    }

}
