package dev.vpnrouter.interop;

import dev.vpnrouter.common.Ipv4;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The seed scenario as network namespaces. An "inet" router joins three outside links:
 * <pre>
 *  hub-host 10.1.1.10/23 ─eth0─ in0 10.1.1.1/23 [hub] out0 203.0.113.2/24 ── hub 203.0.113.1 ┐
 *  spoke-host 10.2.2.10/24 ─eth0─ in0 10.2.2.2/24 [spoke] out0 DHCP 198.51.100.100-150 ── spoke 198.51.100.1 [inet]
 *  client (optional) 192.0.2.2/24 directly, or 172.16.9.2 behind [nat] 192.0.2.2 (nft masquerade) ── client 192.0.2.1 ┤
 *  rogue (optional) 198.18.0.2/24 ── rogue 198.18.0.1 ┘
 * </pre>
 * The rogue is a second spoke with nothing behind it, for a peer that knows the wildcard key and lies.
 * inet knows only the outside networks, so LAN-to-LAN traffic passes only through a tunnel. Forwarding is on in
 * inet, hub, spoke and nat; IPv6 is off everywhere. The hub and spoke namespaces are empty of VPN software: a
 * test starts strongSwan, vpnc or our router there. {@link #close()} closes what the test registered with
 * {@link #own}, in reverse order, then every namespace.
 */
public final class Topology implements AutoCloseable {
    public static final String OUTSIDE_IF = "out0";
    public static final String INSIDE_IF = "in0";
    public static final String HOST_IF = "eth0";

    public static final String INET_HUB = "203.0.113.1";
    public static final String HUB_OUTSIDE = "203.0.113.2";
    public static final String HUB_INSIDE = "10.1.1.1";
    public static final String HUB_HOST = "10.1.1.10";
    public static final String INET_SPOKE = "198.51.100.1";
    public static final String DHCP_FIRST = "198.51.100.100";
    public static final String DHCP_LAST = "198.51.100.150";
    public static final String SPOKE_INSIDE = "10.2.2.2";
    public static final String SPOKE_HOST = "10.2.2.10";
    public static final String INET_CLIENT = "192.0.2.1";
    /** The client's outside address: the client itself ({@link ClientMode#DIRECT}) or its NAT ({@link ClientMode#NAT}). */
    public static final String CLIENT_OUTSIDE = "192.0.2.2";
    public static final String NAT_INSIDE = "172.16.9.1";
    public static final String CLIENT_BEHIND_NAT = "172.16.9.2";
    public static final String INET_ROGUE = "198.18.0.1";
    public static final String ROGUE_OUTSIDE = "198.18.0.2";

    /** Whether and how a VPN client namespace is attached. */
    public enum ClientMode {
        NONE, DIRECT, NAT
    }

    /** Options; {@link #build()} creates everything or cleans up and fails. */
    public static final class Builder {
        private final Path workDir;
        private boolean spokeDhcp = true;
        private ClientMode client = ClientMode.NONE;
        private boolean rogue;

        private Builder(Path workDir) {
            this.workDir = workDir;
        }

        /** Spoke outside address from DHCP (default) or statically {@link #DHCP_FIRST}. */
        public Builder spokeDhcp(boolean dhcp) {
            this.spokeDhcp = dhcp;
            return this;
        }

        public Builder client(ClientMode mode) {
            this.client = mode;
            return this;
        }

        /** A second spoke namespace on its own outside link ({@link #ROGUE_OUTSIDE}), nothing behind it. */
        public Builder rogue(boolean attached) {
            this.rogue = attached;
            return this;
        }

        public Topology build() throws IOException {
            Topology t = new Topology(workDir);
            try {
                t.create(spokeDhcp, client, rogue);
                return t;
            } catch (IOException | RuntimeException | Error e) {
                String state = t.diagnostics();
                t.close();
                if (e instanceof AssertionError) {
                    throw e;
                }
                throw new AssertionError("building the topology failed: " + e.getMessage() + "\n" + state, e);
            }
        }
    }

    private final Path workDir;
    private final List<NetNs> namespaces = new ArrayList<>();
    private final List<AutoCloseable> owned = new ArrayList<>();
    private NetNs inet;
    private NetNs hub;
    private NetNs hubHost;
    private NetNs spoke;
    private NetNs spokeHost;
    private NetNs nat;
    private NetNs client;
    private NetNs rogue;
    private Dhcp dhcp;
    private String spokeOutside;

    private Topology(Path workDir) {
        this.workDir = workDir;
    }

    /** A builder writing logs, pcaps and configs under {@code workDir}. */
    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    /** {@code target/interop/<name>}: a per-test directory that survives the run for post-mortems. */
    public static Path workDir(String name) throws IOException {
        Path dir = Path.of("target", "interop", name).toAbsolutePath();
        Files.createDirectories(dir);
        return dir;
    }

    private void create(boolean spokeDhcp, ClientMode clientMode, boolean withRogue) throws IOException {
        Prerequisites.require("ip", "ping");
        Files.createDirectories(workDir);
        inet = ns("inet");
        hub = ns("hub");
        hubHost = ns("hub-host");
        spoke = ns("spoke");
        spokeHost = ns("spoke-host");

        inet.veth("hub", hub, OUTSIDE_IF);
        inet.addAddress("hub", INET_HUB + "/24");
        hub.addAddress(OUTSIDE_IF, HUB_OUTSIDE + "/24");
        hub.defaultRoute(INET_HUB);
        hub.veth(INSIDE_IF, hubHost, HOST_IF);
        hub.addAddress(INSIDE_IF, HUB_INSIDE + "/23");
        hubHost.addAddress(HOST_IF, HUB_HOST + "/23");
        hubHost.defaultRoute(HUB_INSIDE);

        inet.veth("spoke", spoke, OUTSIDE_IF);
        inet.addAddress("spoke", INET_SPOKE + "/24");
        spoke.veth(INSIDE_IF, spokeHost, HOST_IF);
        spoke.addAddress(INSIDE_IF, SPOKE_INSIDE + "/24");
        spokeHost.addAddress(HOST_IF, SPOKE_HOST + "/24");
        spokeHost.defaultRoute(SPOKE_INSIDE);

        if (clientMode != ClientMode.NONE) {
            client = ns("client");
            if (clientMode == ClientMode.DIRECT) {
                inet.veth("client", client, OUTSIDE_IF);
                client.addAddress(OUTSIDE_IF, CLIENT_OUTSIDE + "/24");
                client.defaultRoute(INET_CLIENT);
            } else {
                Prerequisites.require("nft");
                nat = ns("nat");
                inet.veth("client", nat, OUTSIDE_IF);
                nat.addAddress(OUTSIDE_IF, CLIENT_OUTSIDE + "/24");
                nat.defaultRoute(INET_CLIENT);
                nat.veth(INSIDE_IF, client, HOST_IF);
                nat.addAddress(INSIDE_IF, NAT_INSIDE + "/24");
                client.addAddress(HOST_IF, CLIENT_BEHIND_NAT + "/24");
                client.defaultRoute(NAT_INSIDE);
                nat.enableForwarding();
                Path rules = workDir.resolve("nat.nft");
                Files.writeString(rules, """
                        table ip nat {
                          chain postrouting {
                            type nat hook postrouting priority srcnat; policy accept;
                            oifname "%s" masquerade
                          }
                        }
                        """.formatted(OUTSIDE_IF));
                nat.run(Prerequisites.resolve("nft"), "-f", rules.toString());
            }
            inet.addAddress("client", INET_CLIENT + "/24");
        }
        if (withRogue) {
            rogue = ns("rogue");
            inet.veth("rogue", rogue, OUTSIDE_IF);
            inet.addAddress("rogue", INET_ROGUE + "/24");
            rogue.addAddress(OUTSIDE_IF, ROGUE_OUTSIDE + "/24");
            rogue.defaultRoute(INET_ROGUE);
        }

        inet.enableForwarding();
        hub.enableForwarding();
        spoke.enableForwarding();

        if (spokeDhcp) {
            dhcp = own(Dhcp.serve(inet, "spoke", Ipv4.parse(DHCP_FIRST), Ipv4.parse(DHCP_LAST), 24,
                    Ipv4.parse(INET_SPOKE), workDir.resolve("dhcp")));
            spokeOutside = Ipv4.format(dhcp.lease(spoke, OUTSIDE_IF, Duration.ofSeconds(20)));
        } else {
            spoke.addAddress(OUTSIDE_IF, DHCP_FIRST + "/24");
            spoke.defaultRoute(INET_SPOKE);
            spokeOutside = DHCP_FIRST;
        }
    }

    private NetNs ns(String role) throws IOException {
        NetNs ns = NetNs.create(role);
        namespaces.add(ns);
        ns.disableIpv6();
        return ns;
    }

    /** Registers a fixture to close (before the namespaces, in reverse order of registration); returns it. */
    public synchronized <T extends AutoCloseable> T own(T resource) {
        owned.add(resource);
        return resource;
    }

    public Path workDir() {
        return workDir;
    }

    /** The router joining the outside links. */
    public NetNs inet() {
        return inet;
    }

    public NetNs hub() {
        return hub;
    }

    /** A host on the hub's LAN, {@link #HUB_HOST}. */
    public NetNs hubHost() {
        return hubHost;
    }

    public NetNs spoke() {
        return spoke;
    }

    /** A host on the spoke's LAN, {@link #SPOKE_HOST}. */
    public NetNs spokeHost() {
        return spokeHost;
    }

    /** The VPN client namespace; fails when the topology was built without one. */
    public NetNs client() {
        if (client == null) {
            throw new IllegalStateException("topology built without a client (Builder.client)");
        }
        return client;
    }

    /** The NAT in front of the client; fails unless built with {@link ClientMode#NAT}. */
    public NetNs nat() {
        if (nat == null) {
            throw new IllegalStateException("topology built without a NAT (Builder.client(ClientMode.NAT))");
        }
        return nat;
    }

    /** The rogue spoke namespace; fails when the topology was built without one. */
    public NetNs rogue() {
        if (rogue == null) {
            throw new IllegalStateException("topology built without a rogue spoke (Builder.rogue)");
        }
        return rogue;
    }

    /** The spoke's outside address: the DHCP lease, or {@link #DHCP_FIRST} when DHCP was off. */
    public String spokeOutside() {
        return spokeOutside;
    }

    /** The DHCP server on the spoke's link (null when DHCP was off): lease again to renumber the spoke. */
    public Dhcp dhcp() {
        return dhcp;
    }

    /** Addresses and routes of every namespace, for failure messages. */
    public String diagnostics() {
        StringBuilder b = new StringBuilder();
        for (NetNs ns : namespaces) {
            b.append(ns.diagnostics());
        }
        return b.toString();
    }

    @Override
    public synchronized void close() {
        List<AutoCloseable> reversed = new ArrayList<>(owned);
        Collections.reverse(reversed);
        for (AutoCloseable resource : reversed) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("closing " + resource + ": " + e);
            }
        }
        owned.clear();
        List<NetNs> all = new ArrayList<>(namespaces);
        Collections.reverse(all);
        all.forEach(NetNs::close);
        namespaces.clear();
    }
}
