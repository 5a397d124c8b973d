package dev.vpnrouter.policy;

import dev.vpnrouter.config.model.PortMatch;

import java.util.List;
import java.util.Optional;

/**
 * A crypto access list compiled to traffic selectors. The source of each line is this router's side (local), the
 * destination the peer's side (remote). {@code permit} means protect, {@code deny} means do not protect with this
 * entry; the first matching line decides.
 */
public final class CryptoAcl {
    /** One compiled line. Ports are empty when the line has none (or is not TCP/UDP). */
    public record Rule(boolean permit, int protocol, Subnet local, Optional<PortMatch> localPort, Subnet remote,
                       Optional<PortMatch> remotePort) {

        /** The Quick Mode IDs for this line; only {@code eq} ports can be expressed, others become "any port". */
        public ProxyPair proxyPair() {
            return new ProxyPair(local, remote, protocol, port(localPort), port(remotePort));
        }

        private static int port(Optional<PortMatch> p) {
            return p.filter(m -> m.op() == PortMatch.Op.EQ).map(PortMatch::low).orElse(0);
        }
    }

    private final String name;
    private final List<Rule> rules;

    CryptoAcl(String name, List<Rule> rules) {
        this.name = name;
        this.rules = List.copyOf(rules);
    }

    public String name() {
        return name;
    }

    public List<Rule> rules() {
        return rules;
    }

    @Override
    public String toString() {
        return "CryptoAcl[" + name + ", " + rules.size() + " rules]";
    }
}
