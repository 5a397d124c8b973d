package dev.vpnrouter.config.syntax;

/** What a complete command does, given the context it runs in and the arguments it matched. */
@FunctionalInterface
public interface Action<C> {
    void run(C context, Args args);
}
