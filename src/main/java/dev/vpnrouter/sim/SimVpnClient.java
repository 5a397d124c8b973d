package dev.vpnrouter.sim;

import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.ClientConfig;
import dev.vpnrouter.ike.IkeEffect;
import dev.vpnrouter.ike.cfg.ConfigPolicy;
import dev.vpnrouter.ike.cfg.VpnClientProfile;

import java.util.List;

/**
 * A PC running a VPN client in the lab, like the seed's Cisco VPN Client: the real engine in its client role
 * (Aggressive Mode with the group name and key, Xauth, Mode Config pull, Quick Mode) and the real ESP data plane.
 * Its "LAN" is the virtual adapter: once Mode Config assigns an address, a {@link SimHost} with that address
 * pings through the tunnel; packets to the split networks (or to everything, without a split list) are sealed.
 */
public final class SimVpnClient extends SimLanRouter {
    private final VpnClientProfile profile;
    private ClientConfig config;
    private SimHost adapter;
    private long connects;

    public SimVpnClient(String name, SimNetwork network, int address, VpnClientProfile profile, long seed) {
        super(name, network, address, ConfigPolicy.forVpnClient(name),
                seed, address, 0xffffffff);
        this.profile = profile;
    }

    /** Starts Aggressive Mode to the hub of the profile. */
    public void connect() {
        connects++;
        run(e -> e.connectClient(profile, network.scheduler().now()));
    }

    /** What Mode Config gave the client; null before it arrived. */
    public ClientConfig config() {
        return config;
    }

    /** The virtual adapter with the assigned address; null before Mode Config. */
    public SimHost adapter() {
        return adapter;
    }

    /** How many times the client started a connection (the first one and reconnects after the SA went). */
    public long connects() {
        return connects;
    }

    @Override
    protected boolean onLan(int address) {
        return adapter != null && address == adapter.address();
    }

    @Override
    protected void onClientConfigured(IkeEffect.ClientConfigured configured) {
        config = configured.config();
        int address = config.address();
        if (address != 0 && (adapter == null || adapter.address() != address)) {
            adapter = new SimHost(this, address);
            replaceHost(adapter);
        }
    }

    @Override
    protected void onChildInstalled(ChildSa child) {
        // The client's traffic selectors come from Mode Config, not from a configured crypto map: they become
        // the data plane's crypto map when the SA is there.
        dataPlane().setCryptoMap(List.of(child.policy()));
        super.onChildInstalled(child);
    }
}
