package dev.vpnrouter.cli.remote;

import java.util.function.Supplier;

/**
 * Runs work on the thread that owns the router's engine and waits for its answer: exec sessions read and change
 * the engine's state only there ({@code RouterRuntime::query} on a real router).
 */
public interface EngineThread {
    <T> T call(Supplier<T> work);

    /** For a router nobody else touches (tests): calls in turn, under one lock. */
    static EngineThread locked() {
        Object lock = new Object();
        return new EngineThread() {
            @Override
            public <T> T call(Supplier<T> work) {
                synchronized (lock) {
                    return work.get();
                }
            }
        };
    }
}
