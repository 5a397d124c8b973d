package dev.vpnrouter.config;

/**
 * The {@code ?} texts of the first words of global configuration commands outside crypto ({@link CryptoHelp}),
 * vpnrouter's own and those of features it keeps but does not act on ({@link OutOfScopeCommands}), in IOS's
 * wording.
 */
final class GlobalHelp {
    private GlobalHelp() {
    }

    private static final String[][] FIRST_WORDS = {
            {"aaa", "Authentication, Authorization and Accounting."},
            {"access-list", "Add an access list entry"},
            {"alias", "Create command alias"},
            {"application", "Define application"},
            {"archive", "Archive the configuration"},
            {"authentication", "Auth Manager Global Configuration Commands"},
            {"banner", "Define a login banner"},
            {"bba-group", "Configure BBA Group"},
            {"boot", "Modify system boot parameters"},
            {"boot-end-marker", "Marks the end of the boot commands"},
            {"boot-start-marker", "Marks the start of the boot commands"},
            {"bridge", "Bridge Group."},
            {"call", "Configure Call parameters"},
            {"call-home", "Enter call-home configuration mode"},
            {"cdp", "Global CDP configuration subcommands"},
            {"class-map", "Configure CPL Class Map"},
            {"clock", "Configure time-of-day clock"},
            {"control-plane", "Configure control plane services"},
            {"controller", "Configure a specific controller"},
            {"crypto", "Encryption module"},
            {"dial-peer", "Dial Map (Peer) configuration commands"},
            {"dialer", "Dialer commands"},
            {"dialer-list", "Create a dialer list entry"},
            {"diagnostic", "Configure diagnostic information"},
            {"dot11", "IEEE 802.11 config commands"},
            {"dot1x", "IEEE 802.1X Global Configuration Commands"},
            {"enable", "Modify enable password parameters"},
            {"errdisable", "Error disable"},
            {"event", "Event related configuration commands"},
            {"exception", "Exception handling"},
            {"file", "Adjust file system parameters"},
            {"flow", "Global Flow configuration subcommands"},
            {"gatekeeper", "Enter gatekeeper configuration mode"},
            {"hostname", "Set system's network name"},
            {"hw-module", "Control of individual components in the system"},
            {"interface", "Select an interface to configure"},
            {"ip", "Global IP configuration subcommands"},
            {"ipv6", "Global IPv6 configuration commands"},
            {"isdn", "ISDN configuration commands"},
            {"key", "Key management"},
            {"kron", "Kron interval Configuration"},
            {"license", "Configure license features"},
            {"line", "Configure a terminal line"},
            {"lldp", "Global LLDP configuration subcommands"},
            {"logging", "Modify message logging facilities"},
            {"login", "Enable secure login checking"},
            {"mac", "Global MAC configuration subcommands"},
            {"memory", "Configure memory management"},
            {"memory-size", "Adjust memory size by percentage"},
            {"mgcp", "Enable Media Gateway Control Protocol"},
            {"mmi", "Configure MMI"},
            {"mpls", "Configure MPLS parameters"},
            {"multilink", "PPP multilink global configuration"},
            {"netconf", "Configure NETCONF"},
            {"netconf-yang", "Configure YANG model-driven NETCONF"},
            {"no", "Negate a command or set its defaults"},
            {"ntp", "Configure NTP"},
            {"object-group", "Configure Object Group"},
            {"parameter-map", "parameter map"},
            {"platform", "platform specific configuration"},
            {"policy-map", "Configure QoS Policy Map"},
            {"port-channel", "EtherChannel configuration"},
            {"privilege", "Command privilege parameters"},
            {"radius", "RADIUS server configuration command"},
            {"radius-server", "Modify RADIUS query parameters"},
            {"redundancy", "Enter redundancy mode"},
            {"restconf", "Configure RESTCONF"},
            {"route-map", "Create route-map or enter route-map command mode"},
            {"router", "Enable a routing process"},
            {"scheduler", "Scheduler parameters"},
            {"sdm", "Switch database management"},
            {"security", "Infra Security CLIs"},
            {"service", "Modify use of network based services"},
            {"sip-ua", "SIP User Agent (UA)"},
            {"snmp", "Modify SNMP engineID parameters"},
            {"snmp-server", "Modify SNMP engine parameters"},
            {"spanning-tree", "Spanning Tree Subsystem"},
            {"subscriber", "subscriber configuration"},
            {"tacacs", "TACACS+ server configuration commands"},
            {"tacacs-server", "Modify TACACS query parameters"},
            {"telephony-service", "Configure Cisco IP Phone Service"},
            {"tftp-server", "Provide TFTP service for netload requests"},
            {"track", "Object Tracking configuration commands"},
            {"username", "Establish User Name Authentication"},
            {"version", "Version"},
            {"vlan", "Vlan commands"},
            {"voice", "Global voice configuration"},
            {"voice-card", "Configure a voice card"},
            {"voice-port", "Switch to a voice port"},
            {"vpdn", "Virtual Private Dialup Network"},
            {"vpdn-group", "VPDN group configuration"},
            {"vrf", "VRF commands"},
            {"vtp", "Configure global VTP state"},
            {"webvpn", "WebVPN commands"},
            {"zone", "FW with zoning"},
            {"zone-pair", "Zone pair command"},
    };

    static void define(IosGrammar g) {
        g.describe(Mode.RADIUS_SERVER, "address", "Specify the radius server address");
        g.describe(Mode.RADIUS_SERVER, "address ipv4", "IPv4 Address");
        g.describe(Mode.RADIUS_SERVER, "address ipv4 A.B.C.D", "IPv4 address of RADIUS server");
        g.describe(Mode.RADIUS_SERVER, "key", "Per-server encryption key");
        g.describe(Mode.RADIUS_SERVER, "no", "Negate a command or set its defaults");
        g.describe(Mode.GLOBAL, "radius server", "Server configuration");
        g.describe(Mode.GLOBAL, "radius server WORD", "Name for the radius server configuration");
        for (String[] w : FIRST_WORDS) {
            boolean ours = g.tree(Mode.GLOBAL).defines(w[0]);
            boolean kept = g.outOfScope().defines(w[0]);
            if (!ours && !kept) {
                throw new IllegalStateException("help for a command nobody defines: " + w[0]);
            }
            if (ours) {
                g.describe(Mode.GLOBAL, w[0], w[1]);
            }
            if (kept) {
                g.describeOutOfScope(w[0], w[1]);
            }
        }
    }
}
