package dev.vpnrouter.policy;

/**
 * A Quick Mode traffic selector pair from this router's side: local and remote networks, IP protocol (0 = any)
 * and ports (0 = any).
 */
public record ProxyPair(Subnet local, Subnet remote, int protocol, int localPort, int remotePort) {

    public static ProxyPair of(Subnet local, Subnet remote) {
        return new ProxyPair(local, remote, 0, 0, 0);
    }

    @Override
    public String toString() {
        String proto = protocol == 0 ? "" : " proto " + protocol;
        return local + (localPort == 0 ? "" : ":" + localPort) + " <-> " + remote
                + (remotePort == 0 ? "" : ":" + remotePort) + proto;
    }
}
