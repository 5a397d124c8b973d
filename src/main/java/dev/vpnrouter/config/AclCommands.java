package dev.vpnrouter.config;

import dev.vpnrouter.config.Blocks.AclBlock;
import dev.vpnrouter.config.model.AccessList;
import dev.vpnrouter.config.model.AclEntry;
import dev.vpnrouter.config.model.AddressWildcard;
import dev.vpnrouter.config.model.PortMatch;
import dev.vpnrouter.config.syntax.Args;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static dev.vpnrouter.config.Mode.ACL_EXTENDED;
import static dev.vpnrouter.config.Mode.ACL_STANDARD;
import static dev.vpnrouter.config.Mode.GLOBAL;

/** Numbered ({@code access-list N ...}) and named ({@code ip access-list standard|extended NAME}) access lists. */
final class AclCommands {
    /** IP protocol keywords IOS accepts in extended lists, by number. */
    static final Map<String, Integer> PROTOCOLS = Map.ofEntries(Map.entry("ip", 0), Map.entry("icmp", 1),
            Map.entry("igmp", 2), Map.entry("ipinip", 4), Map.entry("tcp", 6), Map.entry("udp", 17),
            Map.entry("gre", 47), Map.entry("esp", 50), Map.entry("ahp", 51), Map.entry("eigrp", 88),
            Map.entry("ospf", 89), Map.entry("pim", 103));
    /** ICMP message names, by type. */
    static final Map<String, Integer> ICMP_TYPES = Map.ofEntries(Map.entry("echo-reply", 0),
            Map.entry("unreachable", 3), Map.entry("source-quench", 4), Map.entry("redirect", 5),
            Map.entry("echo", 8), Map.entry("router-advertisement", 9), Map.entry("router-solicitation", 10),
            Map.entry("time-exceeded", 11), Map.entry("parameter-problem", 12), Map.entry("timestamp-request", 13),
            Map.entry("timestamp-reply", 14), Map.entry("information-request", 15),
            Map.entry("information-reply", 16), Map.entry("mask-request", 17), Map.entry("mask-reply", 18),
            Map.entry("traceroute", 30));

    private static final String STANDARD = "{permit|deny}:action SOURCE:source [log:log]";
    private static final String[] EXTENDED = {
            "{permit|deny}:action {ip|igmp|ipinip|gre|esp|ahp|eigrp|ospf|pim}:protocol ADDR:source ADDR:destination"
                    + " [log:log]",
            "{permit|deny}:action INT(0-255):protocolNumber ADDR:source ADDR:destination [log:log]",
            "{permit|deny}:action tcp:protocol ADDR:source [PORTS:sourcePort] ADDR:destination "
                    + "[PORTS:destinationPort] [established:established] [log:log]",
            "{permit|deny}:action udp:protocol ADDR:source [PORTS:sourcePort] ADDR:destination "
                    + "[PORTS:destinationPort] [log:log]",
            "{permit|deny}:action icmp:protocol ADDR:source ADDR:destination [ICMP:icmp] [log:log]"};

    private AclCommands() {
    }

    static void define(IosGrammar g) {
        g.fragment("ADDR", "{any:any | host IP:host | IP:address MASK:wildcard}");
        g.fragment("SOURCE", "{any:any | host IP:host | IP:address [MASK:wildcard]}");
        g.fragment("PORTS", "{ {eq|neq|lt|gt}:op PORT:port | range:op PORT:port PORT:high }");
        g.fragment("ICMP", "{ {" + String.join("|", ICMP_TYPES.keySet()) + "}:name | INT(0-255):type }");
        for (String range : new String[] {"INT(1-99)", "INT(1300-1999)"}) {
            g.on(GLOBAL, "access-list " + range + ":number " + STANDARD,
                    (c, a) -> numbered(c, a, AccessList.Kind.STANDARD).add(OptionalInt.empty(), c.place(standard(a), a)));
            g.on(GLOBAL, "access-list " + range + ":number remark LINE:text", (c, a) -> numbered(c, a,
                    AccessList.Kind.STANDARD).add(OptionalInt.empty(), c.place(new AclEntry.Remark(a.text("text")), a)));
        }
        for (String range : new String[] {"INT(100-199)", "INT(2000-2699)"}) {
            for (String entry : EXTENDED) {
                g.on(GLOBAL, "access-list " + range + ":number " + entry, (c, a) -> numbered(c, a,
                        AccessList.Kind.EXTENDED).add(OptionalInt.empty(), c.place(extended(a), a)));
            }
            g.on(GLOBAL, "access-list " + range + ":number remark LINE:text", (c, a) -> numbered(c, a,
                    AccessList.Kind.EXTENDED).add(OptionalInt.empty(), c.place(new AclEntry.Remark(a.text("text")), a)));
        }
        g.on(GLOBAL, "no access-list INT(1-2699):number [LINE:rest]",
                (c, a) -> c.accessLists.remove(String.valueOf(a.integer("number"))));

        g.on(GLOBAL, "ip access-list {standard|extended}:kind WORD:name", (c, a) -> {
            AccessList.Kind kind = AccessList.Kind.valueOf(a.text("kind").toUpperCase(Locale.ROOT));
            AclBlock b = list(c, a, a.text("name"), kind, true, "name");
            if (b != null) {
                c.enter(kind == AccessList.Kind.STANDARD ? ACL_STANDARD : ACL_EXTENDED, b);
            }
        });
        g.on(GLOBAL, "no ip access-list {standard|extended}:kind WORD:name",
                (c, a) -> c.accessLists.remove(a.text("name")));
        String seq = "[INT(1-2147483647):sequence] ";
        g.on(ACL_STANDARD, seq + STANDARD, (c, a) -> named(c).add(a.optInt("sequence"), c.place(standard(a), a)));
        for (String entry : EXTENDED) {
            g.on(ACL_EXTENDED, seq + entry, (c, a) -> named(c).add(a.optInt("sequence"), c.place(extended(a), a)));
        }
        for (Mode m : new Mode[] {ACL_STANDARD, ACL_EXTENDED}) {
            g.on(m, seq + "remark LINE:text", (c, a) -> named(c).add(a.optInt("sequence"),
                    c.place(new AclEntry.Remark(a.text("text")), a)));
            g.on(m, "no INT(1-2147483647):sequence", (c, a) -> named(c).entries.remove((long) a.integer("sequence")));
        }
    }

    private static AclBlock named(ParseContext c) {
        return c.block(AclBlock.class);
    }

    private static AclBlock numbered(ParseContext c, Args a, AccessList.Kind kind) {
        AclBlock b = list(c, a, String.valueOf(a.integer("number")), kind, false, "number");
        // A failed lookup has been reported; collect the entry in a throw-away block.
        return b != null ? b : new AclBlock(c.where(a), "", kind, false);
    }

    private static AclBlock list(ParseContext c, Args a, String name, AccessList.Kind kind, boolean named,
                                 String nameArg) {
        AclBlock b = c.accessLists.get(name);
        if (b == null) {
            b = new AclBlock(c.where(a), name, kind, named);
            c.accessLists.put(name, b);
        } else if (b.kind != kind) {
            c.error(a.column(nameArg), "% Access list " + name + " is already " + b.kind.name()
                    .toLowerCase(Locale.ROOT) + " (line " + b.at.line() + ")");
            return null;
        }
        return b;
    }

    private static AclEntry.Action action(Args a) {
        return a.text("action").equals("permit") ? AclEntry.Action.PERMIT : AclEntry.Action.DENY;
    }

    private static AclEntry standard(Args a) {
        return new AclEntry.Standard(action(a), address(a.fragment("source")), a.has("log"));
    }

    private static AclEntry extended(Args a) {
        int protocol;
        if (a.has("protocolNumber")) {
            protocol = a.integer("protocolNumber");
        } else {
            protocol = PROTOCOLS.get(a.text("protocol"));
        }
        OptionalInt icmp = OptionalInt.empty();
        if (a.has("icmp")) {
            Args t = a.fragment("icmp");
            icmp = OptionalInt.of(t.has("type") ? t.integer("type") : ICMP_TYPES.get(t.text("name")));
        }
        return new AclEntry.Extended(action(a), protocol, address(a.fragment("source")), port(a, "sourcePort"),
                address(a.fragment("destination")), port(a, "destinationPort"), icmp, a.has("established"),
                a.has("log"));
    }

    /** {@code any}, {@code host A} or {@code A W}; address bits under the wildcard are cleared as IOS does. */
    private static AddressWildcard address(Args f) {
        if (f.has("any")) {
            return AddressWildcard.ANY;
        }
        if (f.has("host")) {
            return AddressWildcard.host(f.ip("host"));
        }
        int wildcard = f.ipOr("wildcard", 0);
        return new AddressWildcard(f.ip("address") & ~wildcard, wildcard);
    }

    private static Optional<PortMatch> port(Args a, String name) {
        if (!a.has(name)) {
            return Optional.empty();
        }
        Args f = a.fragment(name);
        PortMatch.Op op = PortMatch.Op.valueOf(f.text("op").toUpperCase(Locale.ROOT));
        int low = f.integer("port");
        int high = op == PortMatch.Op.RANGE ? f.integer("high") : low;
        return Optional.of(new PortMatch(op, Math.min(low, high), Math.max(low, high)));
    }
}
