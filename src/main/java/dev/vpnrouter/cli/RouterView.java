package dev.vpnrouter.cli;

import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.dataplane.SaStatus;
import dev.vpnrouter.ike.AddressPool;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.IkeSaView;

import java.util.Collection;
import java.util.List;

/**
 * What the show commands read from a router: the running configuration, the engine's SAs, the data plane's
 * counters, pools and interfaces. Implementations answer on the thread that owns the engine; the exec session
 * calls them only from there.
 */
public interface RouterView {
    /** The running configuration ({@code show running-config}, the crypto show commands). */
    RouterConfig config();

    /** {@code hostname}, or "Router". */
    default String hostname() {
        return config().hostname().orElse("Router");
    }

    /** Every ISAKMP SA, in any state. */
    Collection<? extends IkeSaView> ikeSas();

    /** Every installed IPsec SA pair, including those whose ISAKMP SA is gone. */
    List<ChildSa> childSas();

    /**
     * The peer a static crypto map entry negotiates with now (the engine's decision among its {@code set peer}s), or
     * 0 when this view does not know.
     */
    default int currentPeer(String mapName, int sequence) {
        return 0;
    }

    /** The data plane's view of one SA pair (counters, kilobytes used, current peer port), or null. */
    SaStatus saStatus(long childId);

    /** The run-time state of {@code ip local pool NAME}, or null when the engine has none by that name. */
    AddressPool addressPool(String name);

    /** The interfaces of the configuration with their live address and state, in configuration order. */
    List<InterfaceStatus> interfaces();

    /** The router's message log ({@code show logging}), or null when this router keeps none. */
    default dev.vpnrouter.syslog.MessageLog messageLog() {
        return null;
    }

    /** {@code show logging}'s text, or null when this router keeps no message log. */
    default String showLogging() {
        dev.vpnrouter.syslog.MessageLog log = messageLog();
        return log == null ? null : log.show();
    }

    /** When the router started (for {@code show version}'s uptime), in the same clock as {@code now}. */
    long startedAtMillis();
}
