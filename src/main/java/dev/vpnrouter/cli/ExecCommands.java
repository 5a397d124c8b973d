package dev.vpnrouter.cli;

import dev.vpnrouter.config.syntax.Args;
import dev.vpnrouter.config.syntax.CommandTree;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The exec commands: the tree with its IOS help texts, and what each command does. Show commands read the
 * {@link RouterView}; clear and debug go through {@link RouterControl} and the {@link ExecHub}.
 */
final class ExecCommands {
    private ExecCommands() {
    }

    static final int USER = 1;
    static final int PRIV = 15;

    static final CommandTree<ExecSession.Context> TREE = tree();
    /** The output modifiers after {@code |}; the action hands the modifier's kind to its context. */
    static final CommandTree<Consumer<OutputFilter.Kind>> PIPE = pipe();

    /** What an exec command prints. */
    @FunctionalInterface
    private interface Command {
        String run(ExecSession.Context context, Args args);
    }

    private static void on(CommandTree<ExecSession.Context> t, int level, String pattern, Command command) {
        t.define(level, pattern, (c, a) -> c.print(command.run(c, a)));
    }

    private static CommandTree<Consumer<OutputFilter.Kind>> pipe() {
        CommandTree<Consumer<OutputFilter.Kind>> t = new CommandTree<>();
        t.define(USER, "{begin|count|exclude|include|section}:kind LINE:regex",
                (k, a) -> k.accept(OutputFilter.Kind.valueOf(a.text("kind").toUpperCase(Locale.ROOT))));
        t.describe("begin", "Begin with the line that matches");
        t.describe("count", "Count number of lines which match regexp");
        t.describe("exclude", "Exclude lines that match");
        t.describe("include", "Include lines that match");
        t.describe("section", "Filter a section of output");
        for (String w : List.of("begin", "count", "exclude", "include", "section")) {
            t.describe(w + " LINE", "Regular Expression");
        }
        return t;
    }

    private static CommandTree<ExecSession.Context> tree() {
        CommandTree<ExecSession.Context> t = new CommandTree<>();

        // --- show
        on(t, USER, "show crypto isakmp sa", (c, a) -> CryptoShow.isakmpSa(c.view().ikeSas()));
        on(t, USER, "show crypto isakmp sa detail",
                (c, a) -> CryptoShow.isakmpSaDetail(c.view().ikeSas(), c.now()));
        on(t, USER, "show crypto isakmp policy", (c, a) -> CryptoConfigShow.isakmpPolicy(c.view().config()));
        on(t, USER, "show crypto isakmp profile", (c, a) -> CryptoConfigShow.isakmpProfile(c.view().config()));
        on(t, USER, "show crypto ipsec sa", (c, a) -> ipsecSa(c, null, 0, false));
        on(t, USER, "show crypto ipsec sa detail", (c, a) -> ipsecSa(c, null, 0, true));
        on(t, USER, "show crypto ipsec sa peer IP:peer",
                (c, a) -> ipsecSa(c, null, a.ip("peer"), false));
        on(t, USER, "show crypto ipsec sa map WORD:map", (c, a) -> ipsecSa(c, a.text("map"), 0, false));
        on(t, USER, "show crypto ipsec sa address",
                (c, a) -> CryptoShow.ipsecSaAddress(c.view().childSas(), ch -> c.view().saStatus(ch.id()), c.now()));
        on(t, USER, "show crypto ipsec transform-set",
                (c, a) -> CryptoConfigShow.transformSets(c.view().config()));
        on(t, USER, "show crypto map", (c, a) -> CryptoConfigShow.cryptoMaps(c.view().config(),
                c.view().childSas(), c.view()::currentPeer, null));
        on(t, USER, "show crypto map tag WORD:map", (c, a) -> CryptoConfigShow.cryptoMaps(c.view().config(),
                c.view().childSas(), c.view()::currentPeer, a.text("map")));
        on(t, USER, "show crypto dynamic-map", (c, a) -> CryptoConfigShow.dynamicMaps(c.view().config(), null));
        on(t, USER, "show crypto dynamic-map tag WORD:map",
                (c, a) -> CryptoConfigShow.dynamicMaps(c.view().config(), a.text("map")));
        on(t, USER, "show crypto session", (c, a) -> session(c, false, 0));
        on(t, USER, "show crypto session detail", (c, a) -> session(c, true, 0));
        on(t, USER, "show crypto session remote IP:peer",
                (c, a) -> session(c, false, a.ip("peer")));
        on(t, USER, "show crypto session remote IP:peer detail",
                (c, a) -> session(c, true, a.ip("peer")));
        on(t, USER, "show ip local pool", (c, a) -> CryptoConfigShow.ipLocalPools(c.view().config(),
                c.view()::addressPool, null));
        on(t, USER, "show ip local pool WORD:pool", (c, a) -> CryptoConfigShow.ipLocalPools(c.view().config(),
                c.view()::addressPool, a.text("pool")));
        on(t, USER, "show ip interface", (c, a) -> {
            StringBuilder sb = new StringBuilder();
            c.view().interfaces().forEach(i -> sb.append(SystemShow.ipInterface(i)));
            return sb.toString();
        });
        on(t, USER, "show ip route", (c, a) -> SystemShow.ipRoute(c.view().interfaces(), c.view().config(),
                c.view().childSas()));
        on(t, USER, "show ip interface brief", (c, a) -> SystemShow.ipInterfaceBrief(c.view().interfaces()));
        on(t, USER, "show ip interface WORD:name", ExecCommands::ipInterface);
        on(t, PRIV, "show running-config", (c, a) -> SystemShow.runningConfig(c.view().config()));
        on(t, USER, "show version", (c, a) -> SystemShow.showVersion(c.view(), c.now()));
        on(t, USER, "show users", (c, a) -> SystemShow.users(c.sessions(), c.session(), c.now()));
        on(t, USER, "show ssh", (c, a) -> SystemShow.ssh(c.sessions()));
        on(t, USER, "show debugging", (c, a) -> SystemShow.debugging(c.debugging()));
        on(t, USER, "show clock", (c, a) -> SystemShow.clock(c.now()));
        on(t, PRIV, "show logging", (c, a) -> c.view().showLogging() == null
                ? "% This router keeps no message log\n" : c.view().showLogging());
        on(t, PRIV, "show aaa servers", (c, a) -> {
            dev.vpnrouter.radius.RadiusLogins radius = c.hub().radius();
            dev.vpnrouter.config.RadiusGroups groups = dev.vpnrouter.config.RadiusGroups.of(c.view().config());
            if (radius == null) {
                return AaaShow.servers(groups, List.of());
            }
            radius.update(groups);
            return AaaShow.servers(groups, radius.servers());
        });
        // Run where show output is formatted, off the router's loop: the servers may take seconds to answer.
        on(t, PRIV, "test aaa group WORD:group WORD:user WORD:password new-code", (c, a) -> {
            dev.vpnrouter.radius.RadiusLogins radius = c.hub().radius();
            dev.vpnrouter.config.RadiusGroups groups = dev.vpnrouter.config.RadiusGroups.of(c.view().config());
            String group = a.text("group");
            if (groups.group(group).isEmpty()) {
                return "% Server group " + group + " is not defined\n";
            }
            if (radius == null) {
                return AaaShow.test(a.text("user"), new dev.vpnrouter.radius.RadiusLogins.Verdict(
                        dev.vpnrouter.policy.LoginMethods.Result.ERROR, null, "no RADIUS client here"));
            }
            radius.update(groups);
            return AaaShow.test(a.text("user"), radius.test(group, a.text("user"), a.text("password"),
                    nasAddress(c.view())));
        });
        on(t, USER, "show privilege",
                (c, a) -> "Current privilege level is " + c.session().privilege() + "\n");

        // --- clear
        on(t, PRIV, "clear line INT(0-1000):line", (c, a) -> clearLine(c, s -> s.lineNumber() == a.integer("line")));
        on(t, PRIV, "clear line vty INT(0-1000):vty", (c, a) -> clearLine(c,
                s -> s.line() == ExecSession.Line.VTY && s.lineIndex() == a.integer("vty")));
        on(t, PRIV, "clear crypto sa", (c, a) -> {
            c.control().clearIpsec(0, c.now());
            return "";
        });
        on(t, PRIV, "clear crypto sa peer IP:peer", (c, a) -> {
            c.control().clearIpsec(a.ip("peer"), c.now());
            return "";
        });
        on(t, PRIV, "clear crypto isakmp", (c, a) -> {
            c.control().clearIsakmp(-1, c.now());
            return "";
        });
        on(t, PRIV, "clear crypto isakmp INT(1-32766):connid", (c, a) -> {
            int id = a.integer("connid");
            return c.control().clearIsakmp(id, c.now()) ? "" : "% No ISAKMP SA with conn-id " + id + "\n";
        });
        on(t, PRIV, "clear crypto session", (c, a) -> {
            c.control().clearSession(0, c.now());
            return "";
        });
        on(t, PRIV, "clear crypto session remote IP:peer", (c, a) -> {
            c.control().clearSession(a.ip("peer"), c.now());
            return "";
        });

        // --- debug
        for (DebugCategory d : DebugCategory.values()) {
            String word = d.name().toLowerCase(Locale.ROOT);
            on(t, PRIV, "debug crypto " + word, (c, a) -> {
                c.hub().debug(d, true);
                return SystemShow.debugName(d) + " debugging is on\n";
            });
            Command off = (c, a) -> {
                c.hub().debug(d, false);
                return SystemShow.debugName(d) + " debugging is off\n";
            };
            on(t, PRIV, "undebug crypto " + word, off);
            on(t, PRIV, "no debug crypto " + word, off);
        }
        Command allOff = (c, a) -> {
            c.hub().undebugAll();
            return "All possible debugging has been turned off\n";
        };
        on(t, PRIV, "undebug all", allOff);
        on(t, PRIV, "no debug all", allOff);

        // --- configuration
        on(t, PRIV, "configure terminal", (c, a) -> c.session().configure());
        Command write = (c, a) -> c.control().writeMemory(
                dev.vpnrouter.config.ConfigWriter.write(c.view().config()));
        on(t, PRIV, "write memory", write);
        on(t, PRIV, "copy running-config startup-config", write);

        // --- the session itself
        on(t, USER, "terminal monitor", (c, a) -> {
            c.session().monitor(true);
            return "";
        });
        on(t, USER, "terminal no monitor", (c, a) -> {
            c.session().monitor(false);
            return "";
        });
        // Paging and width are the terminal's business here: accepted so scripts that set them work.
        on(t, USER, "terminal length INT(0-512):n", (c, a) -> "");
        on(t, USER, "terminal width INT(0-512):n", (c, a) -> "");
        on(t, USER, "enable", (c, a) -> c.session().enable());
        on(t, USER, "disable", (c, a) -> {
            c.session().disable();
            return "";
        });
        Command exit = (c, a) -> {
            c.session().close();
            return "";
        };
        on(t, USER, "exit", exit);
        on(t, USER, "logout", exit);

        help(t);
        return t;
    }

    /** NAS-IP-Address for an exec {@code test aaa}: the source interface's, else the first interface's. */
    private static int nasAddress(RouterView view) {
        int source = dev.vpnrouter.config.RadiusGroups.of(view.config()).sourceAddress();
        if (source != 0) {
            return source;
        }
        return view.interfaces().stream().mapToInt(InterfaceStatus::address).filter(x -> x != 0).findFirst()
                .orElse(0);
    }

    private static void help(CommandTree<ExecSession.Context> t) {
        t.describe("show aaa", "Show AAA values");
        t.describe("show aaa servers", "All AAA servers as seen by the AAA Server MIB");
        t.describe("test", "Test subsystems, memory, and interfaces");
        t.describe("test aaa", "AAA Subsystem");
        t.describe("test aaa group", "AAA group to use for testing");
        t.describe("test aaa group WORD", "AAA group name");
        t.describe("test aaa group WORD WORD", "user name");
        t.describe("test aaa group WORD WORD WORD", "password");
        t.describe("test aaa group WORD WORD WORD new-code", "Use new code");
        t.describe("show", "Show running system information");
        t.describe("show crypto", "Encryption module");
        t.describe("show crypto isakmp", "Show ISAKMP");
        t.describe("show crypto isakmp sa", "Show ISAKMP Security Associations");
        t.describe("show crypto isakmp sa detail", "Show ISAKMP SA Detail");
        t.describe("show crypto isakmp policy", "Show ISAKMP Protection Suite Policy");
        t.describe("show crypto isakmp profile", "Show ISAKMP Profiles");
        t.describe("show crypto ipsec", "Show IPSEC policy information");
        t.describe("show crypto ipsec sa", "IPSEC SA table");
        t.describe("show crypto ipsec sa detail", "detailed error counters");
        t.describe("show crypto ipsec sa peer", "IPSEC SA for a peer");
        t.describe("show crypto ipsec sa peer A.B.C.D", "IP address of a peer");
        t.describe("show crypto ipsec sa map", "IPSEC SA for a crypto map");
        t.describe("show crypto ipsec sa map WORD", "crypto map tag");
        t.describe("show crypto ipsec sa address", "IPSEC SA table sorted by address");
        t.describe("show crypto ipsec transform-set", "Crypto transform sets");
        t.describe("show crypto map", "Crypto maps");
        t.describe("show crypto map tag", "Crypto maps with a given tag");
        t.describe("show crypto map tag WORD", "Crypto map tag");
        t.describe("show crypto dynamic-map", "Crypto map templates");
        t.describe("show crypto dynamic-map tag", "Crypto map templates with a given tag");
        t.describe("show crypto dynamic-map tag WORD", "Dynamic crypto map tag");
        t.describe("show crypto session", "Show crypto sessions (tunnels)");
        t.describe("show crypto session detail", "Show detail crypto sessions");
        t.describe("show crypto session remote", "Show crypto sessions with a remote IKE peer");
        t.describe("show crypto session remote A.B.C.D", "IP address of the remote IKE peer");
        t.describe("show crypto session remote A.B.C.D detail", "Show detail crypto sessions");
        t.describe("show ip", "IP information");
        t.describe("show ip local", "IP local options");
        t.describe("show ip local pool", "IP address pool statistics");
        t.describe("show ip local pool WORD", "Pool name");
        t.describe("show ip interface", "IP interface status and configuration");
        t.describe("show ip route", "IP routing table");
        t.describe("show ip interface brief", "Brief summary of IP status and configuration");
        t.describe("show ip interface WORD", "Interface name, e.g. FastEthernet0/0");
        t.describe("show running-config", "Current operating configuration");
        t.describe("show version", "System hardware and software status");
        t.describe("show users", "Display information about terminal lines");
        t.describe("show debugging", "State of each debugging option");
        t.describe("show clock", "Display the system clock");
        t.describe("show logging", "Show the contents of logging buffers");
        t.describe("show privilege", "Show current privilege level");
        t.describe("clear", "Reset functions");
        t.describe("clear line", "Reset a terminal line");
        t.describe("clear line <0-1000>", "Line number");
        t.describe("clear line vty", "Virtual terminal");
        t.describe("clear line vty <0-1000>", "Line number");
        t.describe("show ssh", "Status of SSH server connections");
        t.describe("clear crypto", "Clear crypto");
        t.describe("clear crypto sa", "Clear all crypto SAs");
        t.describe("clear crypto sa peer", "Clear all crypto SAs for a given crypto peer");
        t.describe("clear crypto sa peer A.B.C.D", "Crypto peer address");
        t.describe("clear crypto isakmp", "Flush the ISAKMP database");
        t.describe("clear crypto isakmp <1-32766>", "connection id to be cleared");
        t.describe("clear crypto session", "Clear crypto sessions (tunnels)");
        t.describe("clear crypto session remote", "Clear crypto sessions with a remote IKE peer");
        t.describe("clear crypto session remote A.B.C.D", "IP address of the remote IKE peer");
        for (String verb : List.of("debug", "undebug", "no debug")) {
            String p = verb + " crypto";
            t.describe(p, "Cryptographic subsystem");
            t.describe(p + " isakmp", "ISAKMP Key Management");
            t.describe(p + " ipsec", "IPSEC processing");
            t.describe(p + " engine", "Crypto Engine Debug Messages");
        }
        t.describe("debug", "Debugging functions (see also 'undebug')");
        t.describe("undebug", "Disable debugging functions (see also 'debug')");
        t.describe("undebug all", "Disable all debugging");
        t.describe("no", "Disable debugging functions");
        t.describe("no debug", "Disable debugging functions");
        t.describe("no debug all", "Disable all debugging");
        t.describe("terminal", "Set terminal line parameters");
        t.describe("terminal monitor", "Copy debug output to the current terminal line");
        t.describe("terminal no", "Negate a command or set its defaults");
        t.describe("terminal no monitor", "Copy debug output to the current terminal line");
        t.describe("terminal length", "Set number of lines on a screen");
        t.describe("terminal length <0-512>", "Number of lines on screen (0 for no pausing)");
        t.describe("terminal width", "Set width of the display terminal");
        t.describe("terminal width <0-512>", "Number of characters on a screen line");
        t.describe("configure", "Enter configuration mode");
        t.describe("configure terminal", "Configure from the terminal");
        t.describe("write", "Write running configuration to memory, network, or terminal");
        t.describe("write memory", "Write to NV memory");
        t.describe("copy", "Copy from one file to another");
        t.describe("copy running-config", "Copy from current system configuration");
        t.describe("copy running-config startup-config", "Copy to startup configuration");
        t.describe("enable", "Turn on privileged commands");
        t.describe("disable", "Turn off privileged commands");
        t.describe("exit", "Exit from the EXEC");
        t.describe("logout", "Exit from the EXEC");
    }

    /**
     * {@code clear line}: ends the session on that line and hangs up its connection. IOS asks {@code [confirm]}
     * first; a line-at-a-time session cannot, so this clears at once and says {@code [OK]}.
     */
    private static String clearLine(ExecSession.Context c, java.util.function.Predicate<ExecSession> which) {
        for (ExecSession s : c.sessions()) {
            if (which.test(s)) {
                s.close();
                return "[OK]\n";
            }
        }
        return "% Line is not in use\n";
    }

    private static String ipsecSa(ExecSession.Context c, String map, int peer, boolean detail) {
        RouterView v = c.view();
        StringBuilder sb = new StringBuilder();
        List<InterfaceStatus> withMap = v.interfaces().stream().filter(i -> i.cryptoMap() != null && i.up()).toList();
        for (InterfaceStatus i : withMap) {
            if (map != null && !map.equals(i.cryptoMap())) {
                continue;
            }
            List<ChildSa> children = new ArrayList<>();
            for (ChildSa ch : v.childSas()) {
                boolean onThis = withMap.size() == 1 || ch.policy() == null
                        || ch.policy().mapName().equals(i.cryptoMap());
                if (onThis && (peer == 0 || ch.peerAddress() == peer)) {
                    children.add(ch);
                }
            }
            sb.append(CryptoShow.ipsecSa(i.name(), i.cryptoMap(), i.address(), children,
                    ch -> v.saStatus(ch.id()), c.now(), detail));
        }
        return sb.toString();
    }

    private static String session(ExecSession.Context c, boolean detail, int peer) {
        String outside = c.view().interfaces().stream().filter(i -> i.cryptoMap() != null).map(InterfaceStatus::name)
                .findFirst().orElse("");
        return SessionShow.cryptoSession(outside, c.view().ikeSas(), c.view().childSas(),
                ch -> c.view().saStatus(ch.id()), c.now(), detail, peer);
    }

    private static String ipInterface(ExecSession.Context c, Args a) {
        InterfaceStatus i = resolveInterface(c.view().interfaces(), a.text("name"));
        if (i == null) {
            return "% Invalid interface " + a.text("name") + "\n";
        }
        return SystemShow.ipInterface(i);
    }

    /** IOS interface abbreviations: {@code f0/0}, {@code fa0/0}, {@code FastEthernet0/0}. */
    static InterfaceStatus resolveInterface(List<InterfaceStatus> interfaces, String typed) {
        String type = SystemShow.interfaceType(typed).toLowerCase(Locale.ROOT);
        String number = typed.substring(type.length());
        if (type.isEmpty() || number.isEmpty()) {
            return null;
        }
        InterfaceStatus found = null;
        for (InterfaceStatus i : interfaces) {
            String itype = SystemShow.interfaceType(i.name());
            if (itype.toLowerCase(Locale.ROOT).startsWith(type) && i.name().substring(itype.length()).equals(number)) {
                if (found != null && !SystemShow.interfaceType(found.name()).equals(itype)) {
                    return null; // ambiguous between two types
                }
                found = i;
            }
        }
        return found;
    }
}
