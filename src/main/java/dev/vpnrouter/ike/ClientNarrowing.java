package dev.vpnrouter.ike;

/**
 * For VPN clients (Mode Config) the hub narrows the client's 0.0.0.0/0 proposal to the split networks. Clients
 * need Xauth and Mode Config, which are not built yet (issue 4); for L2L peers nothing is narrowed.
 */
final class ClientNarrowing {
    private ClientNarrowing() {
    }

    static void apply(IkeEngine engine, IkeSa sa, QuickModeExchange qm) {
        // L2L: the proxies stand as proposed and are checked against the crypto map.
    }
}
