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

        boolean matches(int src, int dst, int proto, int srcPort, int dstPort) {
            return (protocol == 0 || protocol == proto) && local.contains(src) && remote.contains(dst)
                    && (localPort.isEmpty() || localPort.get().matches(srcPort))
                    && (remotePort.isEmpty() || remotePort.get().matches(dstPort));
        }

        /** The Quick Mode IDs for this line; only {@code eq} ports can be expressed, others become "any port". */
        public ProxyPair proxyPair() {
            return new ProxyPair(local, remote, protocol, port(localPort), port(remotePort));
        }

        private static int port(Optional<PortMatch> p) {
            return p.filter(m -> m.op() == PortMatch.Op.EQ).map(PortMatch::low).orElse(0);
        }
    }

    /** What the list says about one packet. */
    public enum Verdict {
        PROTECT,
        BYPASS,
        NO_MATCH
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

    /** First matching line decides; no line matching is {@link Verdict#NO_MATCH}. */
    public Verdict decide(int src, int dst, int protocol, int srcPort, int dstPort) {
        for (Rule r : rules) {
            if (r.matches(src, dst, protocol, srcPort, dstPort)) {
                return r.permit ? Verdict.PROTECT : Verdict.BYPASS;
            }
        }
        return Verdict.NO_MATCH;
    }

    /** The proxy pairs this list lets an SA protect (its permit lines), in order. */
    public List<ProxyPair> proxyPairs() {
        return rules.stream().filter(Rule::permit).map(Rule::proxyPair).toList();
    }

    /** True when a peer's proposal (from this router's side) is within one of the permit lines. */
    public boolean allows(ProxyPair proposal) {
        for (Rule r : rules) {
            if (r.permit && r.proxyPair().covers(proposal)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "CryptoAcl[" + name + ", " + rules.size() + " rules]";
    }
}
