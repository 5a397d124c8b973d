package dev.vpnrouter.cli;

import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;

import java.util.Set;

/** What the clear and debug commands change. Called on the thread that owns the engine, like {@link RouterView}. */
public interface RouterControl {
    /** {@code clear crypto sa [peer A]}: {@code peer} 0 for every peer. Deletes go to the peers. */
    void clearIpsec(int peer, long nowMillis);

    /** {@code clear crypto isakmp [CONN-ID]}: {@code connId} -1 for all; false when no SA has that C-id. */
    boolean clearIsakmp(int connId, long nowMillis);

    /** {@code clear crypto session [remote A]}: IPsec and ISAKMP SAs of one peer (0: all), pool addresses back. */
    void clearSession(int peer, long nowMillis);

    /**
     * {@code configure terminal}: {@code config} is the running configuration from now on; new negotiations use
     * it, SAs that exist live on.
     */
    void reconfigure(RouterConfig config, long nowMillis);

    /** {@code write memory}: saves {@code text} where the configuration came from; returns what to print. */
    String writeMemory(String text);

    /** The debug categories that are on now ({@code debug crypto ...}): the engine emits their lines. */
    void debugging(Set<DebugCategory> on);
}
