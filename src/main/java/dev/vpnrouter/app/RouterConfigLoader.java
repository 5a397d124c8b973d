package dev.vpnrouter.app;

import dev.vpnrouter.ike.cfg.EnginePolicy;

import java.nio.file.Path;

/**
 * Turns an IOS configuration file into what {@code vpnrouter run} needs: the engine's policy and the IOS interface
 * that carries the crypto map (the outside interface). This is the single place where the config-to-policy
 * adapter ({@code dev.vpnrouter.ike.cfg.ConfigPolicy}, with the config parser) plugs in; this build does not have
 * it, so loading reports that plainly instead of pretending.
 */
final class RouterConfigLoader {
    /** What a configuration yields for the runtime. */
    record Loaded(EnginePolicy policy, String outsideIosInterface) {
    }

    /** The configuration cannot be turned into a policy by this build. */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    private RouterConfigLoader() {
    }

    static Loaded load(Path config) throws Unavailable {
        throw new Unavailable("this build cannot compile an IOS configuration into an engine policy yet: the "
                + "config-to-policy adapter (dev.vpnrouter.ike.cfg.ConfigPolicy) is not merged into it. "
                + "Nothing was started.");
    }
}
