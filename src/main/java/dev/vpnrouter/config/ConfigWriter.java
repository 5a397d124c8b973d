package dev.vpnrouter.config;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.model.Logging;
import dev.vpnrouter.config.model.AaaMethod;
import dev.vpnrouter.config.model.AaaMethodList;
import dev.vpnrouter.config.model.AccessList;
import dev.vpnrouter.config.model.AclEntry;
import dev.vpnrouter.config.model.AddressWildcard;
import dev.vpnrouter.config.model.ClientGroup;
import dev.vpnrouter.config.model.CryptoMap;
import dev.vpnrouter.config.model.DynamicMap;
import dev.vpnrouter.config.model.Interface;
import dev.vpnrouter.config.model.InterfaceAddress;
import dev.vpnrouter.config.model.IpLocalPool;
import dev.vpnrouter.config.model.IpsecGlobals;
import dev.vpnrouter.config.model.IpsecMode;
import dev.vpnrouter.config.model.IsakmpGlobals;
import dev.vpnrouter.config.model.IsakmpPolicy;
import dev.vpnrouter.config.model.IsakmpProfile;
import dev.vpnrouter.config.model.Keyring;
import dev.vpnrouter.config.model.LineBlock;
import dev.vpnrouter.config.model.LocalUser;
import dev.vpnrouter.config.model.MapEntry;
import dev.vpnrouter.config.model.MapPeer;
import dev.vpnrouter.config.model.MatchIdentity;
import dev.vpnrouter.config.model.PassiveLine;
import dev.vpnrouter.config.model.Password;
import dev.vpnrouter.config.model.PortMatch;
import dev.vpnrouter.config.model.PreSharedKey;
import dev.vpnrouter.config.model.Radius;
import dev.vpnrouter.config.model.RadiusServer;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.config.model.StaticRoute;
import dev.vpnrouter.config.model.TransformSet;
import dev.vpnrouter.config.syntax.ArgTypes;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a configuration as {@code show running-config} does: canonical keywords, IOS block order, defaults
 * left out, one-space indentation inside blocks, {@code !} between sections, {@code end} last. Parsing the output
 * gives back an equal {@link RouterConfig}.
 */
public final class ConfigWriter {
    private final StringBuilder out = new StringBuilder(4096);

    private ConfigWriter() {
    }

    public static String write(RouterConfig c) {
        ConfigWriter w = new ConfigWriter();
        w.all(c);
        return w.out.toString();
    }

    private void line(String s) {
        out.append(s).append('\n');
    }

    private void sub(String s) {
        out.append(' ').append(s).append('\n');
    }

    private void bang() {
        line("!");
    }

    private void all(RouterConfig c) {
        bang();
        passive(c, PassiveLine.Placement.TOP);
        line(c.passwordEncryption() ? "service password-encryption" : "no service password-encryption");
        bang();
        c.hostname().ifPresent(h -> line("hostname " + h));
        bang();
        c.enableSecret().ifPresent(p -> line("enable " + password("secret", p)));
        c.enablePassword().ifPresent(p -> line("enable " + password("password", p)));
        c.loginBlock().ifPresent(b -> line("login block-for " + b.blockSeconds() + " attempts " + b.attempts()
                + " within " + b.withinSeconds()));
        for (LocalUser u : c.users()) {
            String privilege = u.privilege().isPresent() ? " privilege " + u.privilege().getAsInt() : "";
            String kind = u.password() instanceof Password.Secret5 ? "secret" : "password";
            line("username " + u.name() + privilege + " " + password(kind, u.password()));
        }
        if (c.aaa().newModel()) {
            line("aaa new-model");
        }
        for (AaaMethodList l : c.aaa().authenticationLogin()) {
            line("aaa authentication login " + l.name() + methods(l));
        }
        for (AaaMethodList l : c.aaa().authorizationNetwork()) {
            line("aaa authorization network " + l.name() + methods(l));
        }
        for (AaaMethodList l : c.aaa().accountingNetwork()) {
            line("aaa accounting network " + l.name() + " start-stop" + methods(l));
        }
        if (c.aaa().accountingPeriodicMinutes() > 0 || c.aaa().accountingNewinfo()) {
            line("aaa accounting update" + (c.aaa().accountingNewinfo() ? " newinfo" : "")
                    + (c.aaa().accountingPeriodicMinutes() > 0 ? " periodic " + c.aaa().accountingPeriodicMinutes()
                    : ""));
        }
        bang();
        loggingHead(c.logging());
        passive(c, PassiveLine.Placement.HEAD);
        bang();
        c.keyrings().forEach(this::keyring);
        c.isakmpPolicies().forEach(this::policy);
        c.isakmpKeys().forEach(k -> line("crypto isakmp key " + k.key() + " " + peer(k)
                + (k.noXauth() ? " no-xauth" : "")));
        isakmpGlobals(c.isakmp());
        bang();
        c.clientGroups().forEach(this::group);
        c.isakmpProfiles().forEach(this::profile);
        ipsecGlobals(c.ipsec());
        c.transformSets().forEach(this::transformSet);
        for (DynamicMap m : c.dynamicMaps()) {
            m.entries().forEach(e -> mapEntry("crypto dynamic-map " + m.name() + " " + e.sequence(), e));
        }
        for (CryptoMap m : c.cryptoMaps()) {
            for (MapEntry e : m.entries()) {
                String head = "crypto map " + m.name() + " " + e.sequence() + " ipsec-isakmp";
                if (e.dynamicMap().isPresent()) {
                    line(head + " dynamic " + e.dynamicMap().get());
                } else {
                    mapEntry(head, e);
                }
            }
            bang();
        }
        c.interfaces().forEach(this::iface);
        for (IpLocalPool p : c.localPools()) {
            line("ip local pool " + p.name() + " " + Ipv4.format(p.first())
                    + (p.last() != p.first() ? " " + Ipv4.format(p.last()) : ""));
        }
        c.routes().forEach(this::route);
        bang();
        c.accessLists().forEach(this::accessList);
        radius(c);
        loggingTail(c.logging());
        passive(c, PassiveLine.Placement.TAIL);
        bang();
        c.lines().forEach(this::lineBlock);
        bang();
        line("end");
    }

    /** Where IOS prints them: buffer, console and {@code no logging on} near the top; only what is not default. */
    private void loggingHead(Logging l) {
        Logging d = Logging.DEFAULT;
        if (!l.buffer().equals(d.buffer())) {
            line(l.buffer().map(b -> "logging buffered" + (b.size() != Logging.DEFAULT_BUFFER_SIZE ? " " + b.size()
                    : "") + " " + b.level().keyword()).orElse("no logging buffered"));
        }
        if (!l.console().equals(d.console())) {
            line(l.console().map(s -> "logging console " + s.keyword()).orElse("no logging console"));
        }
        if (!l.on()) {
            line("no logging on");
        }
    }

    /** ...and trap, facility, source interface and hosts near the end, before SNMP. */
    private void loggingTail(Logging l) {
        Logging d = Logging.DEFAULT;
        if (!l.trap().equals(d.trap())) {
            line(l.trap().map(s -> "logging trap " + s.keyword()).orElse("no logging trap"));
        }
        if (l.rfc5424()) {
            line("logging trap syslog-format rfc5424");
        }
        if (l.facility() != d.facility()) {
            line("logging facility " + l.facility().keyword());
        }
        l.sourceInterface().ifPresent(i -> line("logging source-interface " + i));
        for (Logging.Host h : l.hosts()) {
            line("logging host " + Ipv4.format(h.address()) + (h.port() != Logging.DEFAULT_PORT
                    ? " transport udp port " + h.port() : ""));
        }
    }

    private void passive(RouterConfig c, PassiveLine.Placement placement) {
        c.passive().stream().filter(p -> p.placement() == placement).forEach(p -> {
            line(p.text());
            p.body().forEach(this::line);
        });
    }

    private static String password(String keyword, Password p) {
        return switch (p) {
            case Password.Clear(String text) -> keyword + " 0 " + text;
            case Password.Type7Encoded(String encoded) -> keyword + " 7 " + encoded;
            case Password.Secret5(String hash) -> keyword + " 5 " + hash;
        };
    }

    private static String methods(AaaMethodList l) {
        return l.methods().stream().map(AaaMethod::text).map(s -> " " + s).collect(Collectors.joining());
    }

    private static String peer(PreSharedKey k) {
        return switch (k) {
            case PreSharedKey.ByAddress a -> "address " + Ipv4.format(a.address())
                    + (a.mask() == -1 ? "" : " " + Ipv4.format(a.mask()));
            case PreSharedKey.ByHostname h -> "hostname " + h.hostname();
        };
    }

    private void keyring(Keyring k) {
        line("crypto keyring " + k.name());
        k.description().ifPresent(d -> sub("description " + d));
        for (PreSharedKey key : k.keys()) {
            if (key instanceof PreSharedKey.ByAddress a) {
                // IOS prints the mask of keyring entries even for hosts.
                sub("pre-shared-key address " + Ipv4.format(a.address()) + " " + Ipv4.format(a.mask())
                        + " key " + a.key());
            } else {
                sub("pre-shared-key " + peer(key) + " key " + key.key());
            }
        }
        bang();
    }

    private void policy(IsakmpPolicy p) {
        IsakmpPolicy d = IsakmpPolicy.defaults(p.priority());
        line("crypto isakmp policy " + p.priority());
        if (p.encryption() != d.encryption()) {
            sub("encr " + p.encryption().keyword());
        }
        if (p.hash() != d.hash()) {
            sub("hash " + p.hash().keyword());
        }
        if (p.authentication() != d.authentication()) {
            sub("authentication " + p.authentication().keyword());
        }
        if (p.group() != d.group()) {
            sub("group " + p.group().number());
        }
        if (p.lifetimeSeconds() != d.lifetimeSeconds()) {
            sub("lifetime " + p.lifetimeSeconds());
        }
    }

    private void isakmpGlobals(IsakmpGlobals g) {
        if (g.identity() != IsakmpGlobals.Identity.ADDRESS) {
            line("crypto isakmp identity " + g.identity().name().toLowerCase(Locale.ROOT));
        }
        g.keepalive().ifPresent(k -> line("crypto isakmp keepalive " + k.seconds() + " " + k.retrySeconds()
                + (k.periodic() ? " periodic" : "")));
        g.natKeepaliveSeconds().ifPresent(s -> line("crypto isakmp nat keepalive " + s));
        if (g.aggressiveModeDisabled()) {
            line("crypto isakmp aggressive-mode disable");
        }
        g.xauthTimeoutSeconds().ifPresent(s -> line("crypto isakmp xauth timeout " + s));
        g.inNegotiationLimit().ifPresent(n -> line("crypto call admission limit ike in-negotiation-sa " + n));
    }

    private void group(ClientGroup g) {
        line("crypto isakmp client configuration group " + g.name());
        g.key().ifPresent(k -> sub("key " + k));
        if (!g.dns().isEmpty()) {
            sub("dns " + addresses(g.dns()));
        }
        if (!g.wins().isEmpty()) {
            sub("wins " + addresses(g.wins()));
        }
        g.domain().ifPresent(d -> sub("domain " + d));
        g.pool().ifPresent(p -> sub("pool " + p));
        g.acl().ifPresent(a -> sub("acl " + a));
        g.splitDns().forEach(d -> sub("split-dns " + d));
        g.banner().ifPresent(b -> sub("banner " + dev.vpnrouter.config.syntax.DelimitedText.wrap(b)));
        if (g.savePassword()) {
            sub("save-password");
        }
        if (g.includeLocalLan()) {
            sub("include-local-lan");
        }
        if (g.pfs()) {
            sub("pfs");
        }
        g.backupGateways().forEach(b -> sub("backup-gateway " + b));
        g.maxUsers().ifPresent(n -> sub("max-users " + n));
        g.maxLogins().ifPresent(n -> sub("max-logins " + n));
        g.netmask().ifPresent(m -> sub("netmask " + Ipv4.format(m)));
        bang();
    }

    private static String addresses(List<Integer> list) {
        return list.stream().map(Ipv4::format).collect(Collectors.joining(" "));
    }

    private void profile(IsakmpProfile p) {
        line("crypto isakmp profile " + p.name());
        p.description().ifPresent(d -> sub("description " + d));
        p.keyring().ifPresent(k -> sub("keyring " + k));
        p.selfIdentity().ifPresent(s -> sub("self-identity " + s.kind().keyword() + s.value().map(v -> " " + v)
                .orElse("")));
        for (MatchIdentity m : p.matches()) {
            sub("match identity " + switch (m) {
                case MatchIdentity.Address a -> "address " + Ipv4.format(a.address())
                        + (a.mask() == -1 || (a.mask() == 0 && a.address() == 0) ? "" : " " + Ipv4.format(a.mask()));
                case MatchIdentity.Group g -> "group " + g.name();
                case MatchIdentity.Host h -> "host " + h.fqdn();
                case MatchIdentity.HostDomain h -> "host domain " + h.domain();
                case MatchIdentity.User u -> "user " + u.fqdn();
                case MatchIdentity.UserDomain u -> "user domain " + u.domain();
            });
        }
        p.clientAuthenticationList().ifPresent(l -> sub("client authentication list " + l));
        p.isakmpAuthorizationList().ifPresent(l -> sub("isakmp authorization list " + l));
        p.clientAccountingList().ifPresent(l -> sub("client accounting list " + l));
        if (p.clientConfigurationInitiate()) {
            sub("client configuration address initiate");
        }
        if (p.clientConfigurationRespond()) {
            sub("client configuration address respond");
        }
        if (p.initiateAggressive()) {
            sub("initiate mode aggressive");
        }
        p.keepalive().ifPresent(k -> sub("keepalive " + k.seconds() + " retry " + k.retrySeconds()));
        bang();
    }

    private void ipsecGlobals(IpsecGlobals g) {
        if (g.lifetimeSeconds() != IpsecGlobals.DEFAULT_SECONDS) {
            line("crypto ipsec security-association lifetime seconds " + g.lifetimeSeconds());
        }
        if (g.lifetimeKilobytes() != IpsecGlobals.DEFAULT_KILOBYTES) {
            line("crypto ipsec security-association lifetime kilobytes " + kilobytes(g.lifetimeKilobytes()));
        }
    }

    private static String kilobytes(long k) {
        return k == IpsecGlobals.KILOBYTES_DISABLED ? "disable" : Long.toString(k);
    }

    private void transformSet(TransformSet t) {
        StringBuilder s = new StringBuilder("crypto ipsec transform-set ").append(t.name());
        t.cipher().ifPresent(c -> s.append(' ').append(c.keyword()));
        t.integrity().ifPresent(i -> s.append(' ').append(i.keyword()));
        line(s.toString());
        if (t.mode() != IpsecMode.TUNNEL) {
            sub("mode " + t.mode().name().toLowerCase(Locale.ROOT));
        }
        bang();
    }

    private void mapEntry(String head, MapEntry e) {
        line(head);
        e.description().ifPresent(d -> sub("description " + d));
        for (MapPeer p : e.peers()) {
            sub("set peer " + switch (p) {
                case MapPeer.Address a -> Ipv4.format(a.address());
                case MapPeer.Hostname h -> h.hostname();
            });
        }
        e.lifetimeSeconds().ifPresent(s -> sub("set security-association lifetime seconds " + s));
        e.lifetimeKilobytes().ifPresent(k -> sub("set security-association lifetime kilobytes " + kilobytes(k)));
        if (!e.transformSets().isEmpty()) {
            sub("set transform-set " + String.join(" ", e.transformSets()));
        }
        e.pfs().ifPresent(g -> sub("set pfs group" + g.number()));
        e.isakmpProfile().ifPresent(p -> sub("set isakmp-profile " + p));
        e.matchAddress().ifPresent(a -> sub("match address " + a));
        if (e.reverseRoute()) {
            sub("reverse-route");
        }
    }

    private void iface(Interface i) {
        line("interface " + i.name());
        i.description().ifPresent(d -> sub("description " + d));
        switch (i.address()) {
            case InterfaceAddress.Static s -> sub("ip address " + Ipv4.format(s.address()) + " "
                    + Ipv4.format(s.mask()));
            case InterfaceAddress.Dhcp d -> sub("ip address dhcp");
            case InterfaceAddress.None n -> sub("no ip address");
        }
        i.secondaryAddresses().forEach(s -> sub("ip address " + Ipv4.format(s.address()) + " "
                + Ipv4.format(s.mask()) + " secondary"));
        i.passive().forEach(p -> sub(p.text()));
        if (i.shutdown()) {
            sub("shutdown");
        }
        i.cryptoMap().ifPresent(m -> sub("crypto map " + m));
        bang();
    }

    private void route(StaticRoute r) {
        StringBuilder s = new StringBuilder("ip route ").append(Ipv4.format(r.prefix())).append(' ')
                .append(Ipv4.format(r.mask()));
        r.outInterface().ifPresent(i -> s.append(' ').append(i));
        r.nextHop().ifPresent(n -> s.append(' ').append(Ipv4.format(n)));
        if (r.distance() != StaticRoute.DEFAULT_DISTANCE) {
            s.append(' ').append(r.distance());
        }
        r.name().ifPresent(n -> s.append(" name ").append(n));
        if (r.permanent()) {
            s.append(" permanent");
        }
        line(s.toString());
    }

    private void accessList(AccessList a) {
        if (a.named()) {
            line("ip access-list " + a.kind().name().toLowerCase(Locale.ROOT) + " " + a.name());
            a.entries().forEach(e -> sub(aclEntry(e)));
        } else {
            a.entries().forEach(e -> line("access-list " + a.name() + " " + aclEntry(e)));
        }
    }

    /** One ACL line without the {@code access-list N} prefix, e.g. {@code permit ip any host 10.1.1.1}. */
    public static String aclEntry(AclEntry e) {
        return switch (e) {
            case AclEntry.Remark r -> "remark " + r.text();
            case AclEntry.Standard s -> action(s.action()) + " " + address(s.source()) + (s.log() ? " log" : "");
            case AclEntry.Extended x -> {
                StringBuilder b = new StringBuilder(action(x.action())).append(' ').append(protocol(x.protocol()))
                        .append(' ').append(address(x.source()));
                x.sourcePort().ifPresent(p -> b.append(' ').append(port(p)));
                b.append(' ').append(address(x.destination()));
                x.destinationPort().ifPresent(p -> b.append(' ').append(port(p)));
                x.icmpType().ifPresent(t -> b.append(' ').append(name(AclCommands.ICMP_TYPES, t)));
                if (x.established()) {
                    b.append(" established");
                }
                if (x.log()) {
                    b.append(" log");
                }
                yield b.toString();
            }
        };
    }

    private static String action(AclEntry.Action a) {
        return a == AclEntry.Action.PERMIT ? "permit" : "deny";
    }

    private static String protocol(int p) {
        return name(AclCommands.PROTOCOLS, p);
    }

    private static String name(Map<String, Integer> names, int value) {
        for (Map.Entry<String, Integer> e : names.entrySet()) {
            if (e.getValue() == value) {
                return e.getKey();
            }
        }
        return String.valueOf(value);
    }

    /** {@code any}, {@code host A} or {@code A W}. */
    public static String address(AddressWildcard a) {
        if (a.isAny()) {
            return "any";
        }
        if (a.isHost()) {
            return "host " + Ipv4.format(a.address());
        }
        return Ipv4.format(a.address()) + " " + Ipv4.format(a.wildcard());
    }

    private static String port(PortMatch p) {
        String op = p.op().name().toLowerCase(Locale.ROOT);
        String low = ArgTypes.Ports.name(p.low());
        return p.op() == PortMatch.Op.RANGE ? op + " " + low + " " + ArgTypes.Ports.name(p.high()) : op + " " + low;
    }

    private void radius(RouterConfig c) {
        for (RadiusServer r : c.radius().servers()) {
            String ports = (r.authPort() != RadiusServer.DEFAULT_AUTH_PORT ? " auth-port " + r.authPort() : "")
                    + (r.acctPort() != RadiusServer.DEFAULT_ACCT_PORT ? " acct-port " + r.acctPort() : "");
            if (r.name().isEmpty()) {
                line("radius-server host " + Ipv4.format(r.address()) + ports + r.key().map(k -> " key " + k)
                        .orElse(""));
            } else {
                line("radius server " + r.name().get());
                if (r.address() != 0) {
                    sub("address ipv4 " + Ipv4.format(r.address()) + ports);
                }
                r.key().ifPresent(k -> sub("key " + k));
                bang();
            }
        }
        c.radius().defaultKey().ifPresent(k -> line("radius-server key " + k));
        if (c.radius().timeoutSeconds() != Radius.DEFAULT_TIMEOUT_SECONDS) {
            line("radius-server timeout " + c.radius().timeoutSeconds());
        }
        if (c.radius().retransmits() != Radius.DEFAULT_RETRANSMITS) {
            line("radius-server retransmit " + c.radius().retransmits());
        }
        if (c.radius().deadtimeMinutes() != 0) {
            line("radius-server deadtime " + c.radius().deadtimeMinutes());
        }
        c.radius().sourceInterface().ifPresent(i -> line("ip radius source-interface " + i));
        for (Radius.RadiusGroup g : c.radius().groups()) {
            line("aaa group server radius " + g.name());
            g.members().forEach(m -> sub(m.text()));
            bang();
        }
    }

    private void lineBlock(LineBlock l) {
        line("line " + l.kind().keyword() + " " + l.first() + (l.last() != l.first() ? " " + l.last() : ""));
        l.password().ifPresent(p -> sub(p instanceof Password.Clear(String text) ? "password " + text
                : password("password", p)));
        l.login().ifPresent(login -> sub(switch (login.mode()) {
            case NONE -> "no login";
            case LINE -> "login";
            case LOCAL -> "login local";
            case AUTHENTICATION -> "login authentication " + login.list().orElse("default");
        }));
        l.execTimeout().ifPresent(t -> sub("exec-timeout " + t.minutes() + " " + t.seconds()));
        l.sessionTimeout().ifPresent(t -> sub("session-timeout " + t.minutes() + (t.output() ? " output" : "")));
        l.accessClassIn().ifPresent(ac -> sub("access-class " + ac.acl() + " in" + (ac.vrfAlso() ? " vrf-also" : "")));
        l.transportInput().ifPresent(t -> sub("transport input " + (t.isEmpty() ? "none" : String.join(" ", t))));
        l.passive().forEach(p -> sub(p.text()));
    }
}
