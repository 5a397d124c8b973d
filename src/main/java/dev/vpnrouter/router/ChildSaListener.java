package dev.vpnrouter.router;

import dev.vpnrouter.ike.ChildSa;

/**
 * Where the ESP data plane plugs into the runtime: told when Quick Mode installs an SA pair and when one goes away.
 * Called on the runtime's loop thread, in the order the engine emitted the effects; an implementation must not
 * block (hand heavy work to its own thread). An exception is logged and does not stop the loop.
 */
public interface ChildSaListener {
    void installed(ChildSa child);

    void deleted(ChildSa child, String reason);
}
