package dev.vpnrouter.cli;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The exec commands: the tree with its IOS help texts, and what each command does. Show commands read the
 * {@link RouterView}; clear and debug go through {@link RouterControl} and the {@link ExecHub}.
 */
final class ExecCommands {
    private ExecCommands() {
    }

    static final int USER = 1;
    static final int PRIV = 15;

    static final ExecTree<ExecSession.Context> TREE = tree();
    /** The output modifiers after {@code |}; each action names its {@link OutputFilter.Kind}. */
    static final ExecTree<OutputFilter.Kind> PIPE = pipe();

    private static ExecTree<OutputFilter.Kind> pipe() {
        ExecTree<OutputFilter.Kind> t = new ExecTree<>();
        t.define(USER, "begin LINE:regex", (k, a) -> "BEGIN");
        t.define(USER, "count LINE:regex", (k, a) -> "COUNT");
        t.define(USER, "exclude LINE:regex", (k, a) -> "EXCLUDE");
        t.define(USER, "include LINE:regex", (k, a) -> "INCLUDE");
        t.define(USER, "section LINE:regex", (k, a) -> "SECTION");
        t.help("begin", "Begin with the line that matches");
        t.help("count", "Count number of lines which match regexp");
        t.help("exclude", "Exclude lines that match");
        t.help("include", "Include lines that match");
        t.help("section", "Filter a section of output");
        for (String w : List.of("begin", "count", "exclude", "include", "section")) {
            t.help(w + " LINE", "Regular Expression");
        }
        return t;
    }

    private static ExecTree<ExecSession.Context> tree() {
        ExecTree<ExecSession.Context> t = new ExecTree<>();

        // --- show
        t.define(USER, "show crypto isakmp sa", (c, a) -> CryptoShow.isakmpSa(c.view().ikeSas()));
        t.define(USER, "show crypto isakmp sa detail",
                (c, a) -> CryptoShow.isakmpSaDetail(c.view().ikeSas(), c.now()));
        t.define(USER, "show crypto isakmp policy", (c, a) -> CryptoConfigShow.isakmpPolicy(c.view().config()));
        t.define(USER, "show crypto isakmp profile", (c, a) -> CryptoConfigShow.isakmpProfile(c.view().config()));
        t.define(USER, "show crypto ipsec sa", (c, a) -> ipsecSa(c, null, 0, false));
        t.define(USER, "show crypto ipsec sa detail", (c, a) -> ipsecSa(c, null, 0, true));
        t.define(USER, "show crypto ipsec sa peer A.B.C.D:peer",
                (c, a) -> ipsecSa(c, null, Ipv4.parse(a.get("peer")), false));
        t.define(USER, "show crypto ipsec sa map WORD:map", (c, a) -> ipsecSa(c, a.get("map"), 0, false));
        t.define(USER, "show crypto ipsec sa address",
                (c, a) -> CryptoShow.ipsecSaAddress(c.view().childSas(), ch -> c.view().saStatus(ch.id()), c.now()));
        t.define(USER, "show crypto ipsec transform-set",
                (c, a) -> CryptoConfigShow.transformSets(c.view().config()));
        t.define(USER, "show crypto map", (c, a) -> CryptoConfigShow.cryptoMaps(c.view().config(),
                c.view().childSas(), null));
        t.define(USER, "show crypto map tag WORD:map", (c, a) -> CryptoConfigShow.cryptoMaps(c.view().config(),
                c.view().childSas(), a.get("map")));
        t.define(USER, "show crypto dynamic-map", (c, a) -> CryptoConfigShow.dynamicMaps(c.view().config(), null));
        t.define(USER, "show crypto dynamic-map tag WORD:map",
                (c, a) -> CryptoConfigShow.dynamicMaps(c.view().config(), a.get("map")));
        t.define(USER, "show crypto session", (c, a) -> session(c, false, 0));
        t.define(USER, "show crypto session detail", (c, a) -> session(c, true, 0));
        t.define(USER, "show crypto session remote A.B.C.D:peer",
                (c, a) -> session(c, false, Ipv4.parse(a.get("peer"))));
        t.define(USER, "show crypto session remote A.B.C.D:peer detail",
                (c, a) -> session(c, true, Ipv4.parse(a.get("peer"))));
        t.define(USER, "show ip local pool", (c, a) -> CryptoConfigShow.ipLocalPools(c.view().config(),
                c.view()::addressPool, null));
        t.define(USER, "show ip local pool WORD:pool", (c, a) -> CryptoConfigShow.ipLocalPools(c.view().config(),
                c.view()::addressPool, a.get("pool")));
        t.define(USER, "show ip interface", (c, a) -> {
            StringBuilder sb = new StringBuilder();
            c.view().interfaces().forEach(i -> sb.append(SystemShow.ipInterface(i)));
            return sb.toString();
        });
        t.define(USER, "show ip route", (c, a) -> SystemShow.ipRoute(c.view().interfaces(), c.view().config(),
                c.view().childSas()));
        t.define(USER, "show ip interface brief", (c, a) -> SystemShow.ipInterfaceBrief(c.view().interfaces()));
        t.define(USER, "show ip interface WORD:name", ExecCommands::ipInterface);
        t.define(PRIV, "show running-config", (c, a) -> SystemShow.runningConfig(c.view().config()));
        t.define(USER, "show version", (c, a) -> SystemShow.showVersion(c.view(), c.now()));
        t.define(USER, "show users", (c, a) -> SystemShow.users(c.hub().sessions(), c.session(), c.now()));
        t.define(USER, "show debugging", (c, a) -> SystemShow.debugging(c.hub().debugging()));
        t.define(USER, "show clock", (c, a) -> SystemShow.clock(c.now()));
        t.define(PRIV, "show logging", (c, a) -> c.view().messageLog() == null
                ? "% This router keeps no message log\n" : c.view().messageLog().show());
        t.define(USER, "show privilege",
                (c, a) -> "Current privilege level is " + c.session().privilege() + "\n");

        // --- clear
        t.define(PRIV, "clear crypto sa", (c, a) -> {
            c.control().clearIpsec(0, c.now());
            return "";
        });
        t.define(PRIV, "clear crypto sa peer A.B.C.D:peer", (c, a) -> {
            c.control().clearIpsec(Ipv4.parse(a.get("peer")), c.now());
            return "";
        });
        t.define(PRIV, "clear crypto isakmp", (c, a) -> {
            c.control().clearIsakmp(-1, c.now());
            return "";
        });
        t.define(PRIV, "clear crypto isakmp <1-32766>:connid", (c, a) -> {
            int id = Integer.parseInt(a.get("connid"));
            return c.control().clearIsakmp(id, c.now()) ? "" : "% No ISAKMP SA with conn-id " + id + "\n";
        });
        t.define(PRIV, "clear crypto session", (c, a) -> {
            c.control().clearSession(0, c.now());
            return "";
        });
        t.define(PRIV, "clear crypto session remote A.B.C.D:peer", (c, a) -> {
            c.control().clearSession(Ipv4.parse(a.get("peer")), c.now());
            return "";
        });

        // --- debug
        for (DebugCategory d : DebugCategory.values()) {
            String word = d.name().toLowerCase(Locale.ROOT);
            t.define(PRIV, "debug crypto " + word, (c, a) -> {
                c.hub().debug(d, true);
                return SystemShow.debugName(d) + " debugging is on\n";
            });
            ExecTree.Action<ExecSession.Context> off = (c, a) -> {
                c.hub().debug(d, false);
                return SystemShow.debugName(d) + " debugging is off\n";
            };
            t.define(PRIV, "undebug crypto " + word, off);
            t.define(PRIV, "no debug crypto " + word, off);
        }
        ExecTree.Action<ExecSession.Context> allOff = (c, a) -> {
            c.hub().undebugAll();
            return "All possible debugging has been turned off\n";
        };
        t.define(PRIV, "undebug all", allOff);
        t.define(PRIV, "no debug all", allOff);

        // --- configuration
        t.define(PRIV, "configure terminal", (c, a) -> c.session().configure());
        ExecTree.Action<ExecSession.Context> write = (c, a) -> c.control().writeMemory(
                dev.vpnrouter.config.ConfigWriter.write(c.view().config()));
        t.define(PRIV, "write memory", write);
        t.define(PRIV, "copy running-config startup-config", write);

        // --- the session itself
        t.define(USER, "terminal monitor", (c, a) -> {
            c.session().monitor(true);
            return "";
        });
        t.define(USER, "terminal no monitor", (c, a) -> {
            c.session().monitor(false);
            return "";
        });
        // Paging and width are the terminal's business here: accepted so scripts that set them work.
        t.define(USER, "terminal length <0-512>:n", (c, a) -> "");
        t.define(USER, "terminal width <0-512>:n", (c, a) -> "");
        t.define(USER, "enable", (c, a) -> c.session().enable());
        t.define(USER, "disable", (c, a) -> {
            c.session().disable();
            return "";
        });
        ExecTree.Action<ExecSession.Context> exit = (c, a) -> {
            c.session().close();
            return "";
        };
        t.define(USER, "exit", exit);
        t.define(USER, "logout", exit);

        help(t);
        return t;
    }

    private static void help(ExecTree<ExecSession.Context> t) {
        t.help("show", "Show running system information");
        t.help("show crypto", "Encryption module");
        t.help("show crypto isakmp", "Show ISAKMP");
        t.help("show crypto isakmp sa", "Show ISAKMP Security Associations");
        t.help("show crypto isakmp sa detail", "Show ISAKMP SA Detail");
        t.help("show crypto isakmp policy", "Show ISAKMP Protection Suite Policy");
        t.help("show crypto isakmp profile", "Show ISAKMP Profiles");
        t.help("show crypto ipsec", "Show IPSEC policy information");
        t.help("show crypto ipsec sa", "IPSEC SA table");
        t.help("show crypto ipsec sa detail", "detailed error counters");
        t.help("show crypto ipsec sa peer", "IPSEC SA for a peer");
        t.help("show crypto ipsec sa peer A.B.C.D", "IP address of a peer");
        t.help("show crypto ipsec sa map", "IPSEC SA for a crypto map");
        t.help("show crypto ipsec sa map WORD", "crypto map tag");
        t.help("show crypto ipsec sa address", "IPSEC SA table sorted by address");
        t.help("show crypto ipsec transform-set", "Crypto transform sets");
        t.help("show crypto map", "Crypto maps");
        t.help("show crypto map tag", "Crypto maps with a given tag");
        t.help("show crypto map tag WORD", "Crypto map tag");
        t.help("show crypto dynamic-map", "Crypto map templates");
        t.help("show crypto dynamic-map tag", "Crypto map templates with a given tag");
        t.help("show crypto dynamic-map tag WORD", "Dynamic crypto map tag");
        t.help("show crypto session", "Show crypto sessions (tunnels)");
        t.help("show crypto session detail", "Show detail crypto sessions");
        t.help("show crypto session remote", "Show crypto sessions with a remote IKE peer");
        t.help("show crypto session remote A.B.C.D", "IP address of the remote IKE peer");
        t.help("show crypto session remote A.B.C.D detail", "Show detail crypto sessions");
        t.help("show ip", "IP information");
        t.help("show ip local", "IP local options");
        t.help("show ip local pool", "IP address pool statistics");
        t.help("show ip local pool WORD", "Pool name");
        t.help("show ip interface", "IP interface status and configuration");
        t.help("show ip route", "IP routing table");
        t.help("show ip interface brief", "Brief summary of IP status and configuration");
        t.help("show ip interface WORD", "Interface name, e.g. FastEthernet0/0");
        t.help("show running-config", "Current operating configuration");
        t.help("show version", "System hardware and software status");
        t.help("show users", "Display information about terminal lines");
        t.help("show debugging", "State of each debugging option");
        t.help("show clock", "Display the system clock");
        t.help("show logging", "Show the contents of logging buffers");
        t.help("show privilege", "Show current privilege level");
        t.help("clear", "Reset functions");
        t.help("clear crypto", "Clear crypto");
        t.help("clear crypto sa", "Clear all crypto SAs");
        t.help("clear crypto sa peer", "Clear all crypto SAs for a given crypto peer");
        t.help("clear crypto sa peer A.B.C.D", "Crypto peer address");
        t.help("clear crypto isakmp", "Flush the ISAKMP database");
        t.help("clear crypto isakmp <1-32766>", "connection id to be cleared");
        t.help("clear crypto session", "Clear crypto sessions (tunnels)");
        t.help("clear crypto session remote", "Clear crypto sessions with a remote IKE peer");
        t.help("clear crypto session remote A.B.C.D", "IP address of the remote IKE peer");
        for (String verb : List.of("debug", "undebug", "no debug")) {
            String p = verb + " crypto";
            t.help(p, "Cryptographic subsystem");
            t.help(p + " isakmp", "ISAKMP Key Management");
            t.help(p + " ipsec", "IPSEC processing");
            t.help(p + " engine", "Crypto Engine Debug Messages");
        }
        t.help("debug", "Debugging functions (see also 'undebug')");
        t.help("undebug", "Disable debugging functions (see also 'debug')");
        t.help("undebug all", "Disable all debugging");
        t.help("no", "Disable debugging functions");
        t.help("no debug", "Disable debugging functions");
        t.help("no debug all", "Disable all debugging");
        t.help("terminal", "Set terminal line parameters");
        t.help("terminal monitor", "Copy debug output to the current terminal line");
        t.help("terminal no", "Negate a command or set its defaults");
        t.help("terminal no monitor", "Copy debug output to the current terminal line");
        t.help("terminal length", "Set number of lines on a screen");
        t.help("terminal length <0-512>", "Number of lines on screen (0 for no pausing)");
        t.help("terminal width", "Set width of the display terminal");
        t.help("terminal width <0-512>", "Number of characters on a screen line");
        t.help("configure", "Enter configuration mode");
        t.help("configure terminal", "Configure from the terminal");
        t.help("write", "Write running configuration to memory, network, or terminal");
        t.help("write memory", "Write to NV memory");
        t.help("copy", "Copy from one file to another");
        t.help("copy running-config", "Copy from current system configuration");
        t.help("copy running-config startup-config", "Copy to startup configuration");
        t.help("enable", "Turn on privileged commands");
        t.help("disable", "Turn off privileged commands");
        t.help("exit", "Exit from the EXEC");
        t.help("logout", "Exit from the EXEC");
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

    private static String ipInterface(ExecSession.Context c, Map<String, String> a) {
        InterfaceStatus i = resolveInterface(c.view().interfaces(), a.get("name"));
        if (i == null) {
            return "% Invalid interface " + a.get("name") + "\n";
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
