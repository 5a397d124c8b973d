package dev.vpnrouter.policy;

/**
 * A Quick Mode traffic selector pair from this router's side: local and remote networks, IP protocol (0 = any)
 * and ports (0 = any). The peer sees it {@link #reversed()}.
 */
public record ProxyPair(Subnet local, Subnet remote, int protocol, int localPort, int remotePort) {

    public static ProxyPair of(Subnet local, Subnet remote) {
        return new ProxyPair(local, remote, 0, 0, 0);
    }

    public ProxyPair reversed() {
        return new ProxyPair(remote, local, protocol, remotePort, localPort);
    }

    /** True when every packet {@code proposal} selects is also selected by this pair (IOS accepts such proposals). */
    public boolean covers(ProxyPair proposal) {
        return local.contains(proposal.local) && remote.contains(proposal.remote)
                && (protocol == 0 || protocol == proposal.protocol)
                && (localPort == 0 || localPort == proposal.localPort)
                && (remotePort == 0 || remotePort == proposal.remotePort);
    }

    @Override
    public String toString() {
        String proto = protocol == 0 ? "" : " proto " + protocol;
        return local + (localPort == 0 ? "" : ":" + localPort) + " <-> " + remote
                + (remotePort == 0 ? "" : ":" + remotePort) + proto;
    }
}
