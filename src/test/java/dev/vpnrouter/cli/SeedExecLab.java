package dev.vpnrouter.cli;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.model.Logging;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.ike.IkeEffect;
import dev.vpnrouter.ike.cfg.ConfigPolicy;
import dev.vpnrouter.ike.cfg.VpnClientProfile;
import dev.vpnrouter.sim.FaultModel;
import dev.vpnrouter.sim.SimHost;
import dev.vpnrouter.sim.SimLanRouter;
import dev.vpnrouter.sim.SimNetwork;
import dev.vpnrouter.sim.SimRouter;
import dev.vpnrouter.sim.SimScheduler;
import dev.vpnrouter.syslog.MessageLog;
import dev.vpnrouter.syslog.RouterMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The seed's scene in one process with the seed's own addresses: the hub (10.48.67.181) running hub.cfg, the
 * spoke (10.100.2.102, from DHCP) running spoke.cfg, and a VPN client (10.51.82.100, group testgroup, user
 * gfullage) that gets 10.5.5.1; pings across the LAN-to-LAN tunnel so the counters move. Same seed, same bytes.
 */
public final class SeedExecLab {
    static final int HUB = Ipv4.parse("10.48.67.181");
    static final int SPOKE = Ipv4.parse("10.100.2.102");
    static final int CLIENT = Ipv4.parse("10.51.82.100");
    /** The virtual clock starts at this wall time so datetime stamps look like a real day. */
    static final long EPOCH = 1_795_000_000_000L;

    final SimScheduler clock = new SimScheduler(EPOCH);
    final SimNetwork net = new SimNetwork(clock, 11, FaultModel.PERFECT);
    final RouterConfig hubConfig = load("hub.cfg");
    final RouterConfig spokeConfig;
    final SimLanRouter hub;
    final SimLanRouter spoke;
    final SimRouter client;
    final SimHost hubHost;
    final SimHost spokeHost;
    public final EngineRouter hubView;
    final EngineRouter spokeView;
    public final ExecHub hubExec;
    public final ExecHub spokeExec;

    public SeedExecLab() {
        this(java.util.function.UnaryOperator.identity());
    }

    /** The scene with the spoke's configuration text edited first (a wrong key, another transform set...). */
    public SeedExecLab(java.util.function.UnaryOperator<String> spokeEdit) {
        spokeConfig = ConfigLoader.load(spokeEdit.apply(text("spoke.cfg"))).config();
        hub = new SimLanRouter("Hub", net, HUB, new ConfigPolicy(hubConfig), 101, Ipv4.parse("10.1.1.1"),
                Ipv4.parse("255.255.254.0"));
        spoke = new SimLanRouter("Spoke", net, SPOKE, new ConfigPolicy(spokeConfig), 102, Ipv4.parse("10.2.2.2"),
                Ipv4.parse("255.255.255.0"));
        client = new SimRouter("client", net, CLIENT,
                new ConfigPolicy(ConfigLoader.load("hostname Client\n").config()), 103);
        hubHost = hub.addHost(Ipv4.parse("10.1.1.10"));
        spokeHost = spoke.addHost(Ipv4.parse("10.2.2.10"));
        hubView = new EngineRouter(hubConfig, hub.engine(), hub.dataPlane(), hub::run, EPOCH);
        spokeView = new EngineRouter(spokeConfig, spoke.engine(), spoke.dataPlane(), spoke::run, EPOCH)
                .dhcpLease("FastEthernet0/0", SPOKE, Ipv4.parse("255.255.255.0"));
        hubExec = new ExecHub(hubView, hubView);
        spokeExec = new ExecHub(spokeView, spokeView);
        hub.onEffect(e -> {
            if (e instanceof IkeEffect.Debug d) {
                hubExec.debugLine(d.category(), d.line(), clock.now());
            }
        });
        hubLog = new MessageLog(hubConfig, EPOCH, new MessageLog.Sinks() {
            @Override
            public void terminal(String line) {
                hubExec.logLine(line);
            }

            @Override
            public boolean datagram(Logging.Host host, byte[] payload) {
                hubDatagrams.add(new String(payload, StandardCharsets.UTF_8));
                return true;
            }

            @Override
            public void local(RouterMessage message, String line) {
            }
        });
        hubView.messageLog(hubLog, hubLog::configure);
        hub.onMessage(m -> hubLog.log(m, clock.now()));
    }

    /** The hub's message log, as {@code run} keeps one; its syslog datagrams are collected in {@link #hubDatagrams}. */
    final MessageLog hubLog;
    final java.util.List<String> hubDatagrams = new java.util.ArrayList<>();

    /** Brings both tunnels up and sends pings across the spoke's. */
    public SeedExecLab up() {
        spokeHost.ping(hubHost.address()); // the first packet brings the tunnel up, as on the seed's spoke
        client.run(e -> e.connectClient(VpnClientProfile.of(HUB, "testgroup",
                "cisco321".getBytes(StandardCharsets.US_ASCII), "gfullage", "gfullage"), clock.now()));
        runFor(5_000);
        spokeHost.pingEvery(hubHost.address(), 1_000, 5, 56);
        hubHost.pingEvery(spokeHost.address(), 1_000, 3, 56);
        runFor(10_000);
        return this;
    }

    void runFor(long millis) {
        clock.runUntil(clock.now() + millis);
    }

    public long now() {
        return clock.now();
    }

    static RouterConfig load(String name) {
        return ConfigLoader.load(text(name)).config();
    }

    static String text(String name) {
        try {
            return Files.readString(Path.of("examples/seed/" + name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
