package dev.vpnrouter.router;

import dev.vpnrouter.ike.IkeEffect.DebugCategory;

/**
 * Receives the engine's {@code debug crypto isakmp|ipsec|engine} lines and the runtime's own messages (category
 * null). Called on the loop thread; must not block for long.
 */
@FunctionalInterface
public interface DebugSink {
    void line(DebugCategory category, String line);

    /** Lines go to {@link System.Logger} "dev.vpnrouter.ike" (engine, DEBUG) and "dev.vpnrouter.router" (INFO). */
    static DebugSink systemLogger() {
        System.Logger engine = System.getLogger("dev.vpnrouter.ike");
        System.Logger runtime = System.getLogger("dev.vpnrouter.router");
        return (category, line) -> {
            if (category == null) {
                runtime.log(System.Logger.Level.INFO, line);
            } else {
                engine.log(System.Logger.Level.DEBUG, line);
            }
        };
    }

    /** Drops everything. */
    static DebugSink none() {
        return (category, line) -> { };
    }
}
