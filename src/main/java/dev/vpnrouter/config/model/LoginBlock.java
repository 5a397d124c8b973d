package dev.vpnrouter.config.model;

/**
 * {@code login block-for S attempts N within T} (IOS login enhancements): N failed logins within T seconds put the
 * router in quiet mode, where it refuses every login for S seconds.
 */
public record LoginBlock(int blockSeconds, int attempts, int withinSeconds) {
}
