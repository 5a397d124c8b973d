package dev.vpnrouter.cli.remote;

import dev.vpnrouter.config.model.LoginBlock;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Login protection for the vty lines, sans-IO (time comes in). Two rules, the first only when configured:
 * <ul>
 * <li>{@code login block-for S attempts N within T}: N failures within T seconds, from anywhere, put the router in
 *     quiet mode, which refuses every login for S seconds (IOS);</li>
 * <li>always, per source address: after {@value #FREE_FAILURES} failures in a row, each further attempt must wait
 *     1, 2, 4 ... seconds (at most {@value #MAX_BACKOFF_SECONDS}) after the last failure, so a password cannot be
 *     guessed at line speed even where nothing is configured. A success clears the source.</li>
 * </ul>
 * Passwords longer than {@value #MAX_PASSWORD_LENGTH} characters are refused before any hashing (md5-crypt's cost
 * grows with the length the attacker sends). Memory is bounded: at most {@value #MAX_SOURCES} sources are kept.
 *
 * <p>An admitted attempt counts as a failure until it ends ({@link #failed} or {@link #succeeded}): parallel
 * connections from one source get no more tries than sequential ones, and past the free failures a source has one
 * attempt in flight at a time.
 */
final class LoginGuard {
    static final int FREE_FAILURES = 3;
    static final int MAX_BACKOFF_SECONDS = 300;
    static final int MAX_PASSWORD_LENGTH = 128;
    static final int MAX_SOURCES = 4096;

    private record Source(int failures, int inFlight, long lastFailureMillis) {
    }

    private final Map<Integer, Source> sources = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Source> eldest) {
            return size() > MAX_SOURCES;
        }
    };
    private final ArrayDeque<Long> recentFailures = new ArrayDeque<>();
    private long quietUntilMillis;

    /**
     * Null when a login from {@code source} may be tried now, and the attempt is then admitted: it must end with
     * {@link #failed} or {@link #succeeded}. Otherwise why not (for the log).
     */
    synchronized String admit(int source, String password, Optional<LoginBlock> block, long now) {
        if (password != null && password.length() > MAX_PASSWORD_LENGTH) {
            return "password longer than " + MAX_PASSWORD_LENGTH + " characters";
        }
        if (block.isPresent() && now < quietUntilMillis) {
            return "quiet mode (login block-for) for " + ((quietUntilMillis - now + 999) / 1000) + " s more";
        }
        Source s = sources.getOrDefault(source, new Source(0, 0, 0));
        if (s.failures() + s.inFlight() >= FREE_FAILURES) {
            if (s.inFlight() > 0) {
                return "a login from this address is still being checked";
            }
            long waitMillis = Math.min(MAX_BACKOFF_SECONDS, 1L << Math.min(20, s.failures() - FREE_FAILURES)) * 1000;
            if (now < s.lastFailureMillis() + waitMillis) {
                return "too many failed logins from this address, next try in "
                        + ((s.lastFailureMillis() + waitMillis - now + 999) / 1000) + " s";
            }
        }
        sources.put(source, new Source(s.failures(), s.inFlight() + 1, s.lastFailureMillis()));
        return null;
    }

    /** A login from {@code source} failed. */
    synchronized void failed(int source, Optional<LoginBlock> block, long now) {
        Source s = sources.getOrDefault(source, new Source(0, 1, 0));
        sources.put(source, new Source(s.failures() + 1, Math.max(0, s.inFlight() - 1), now));
        if (block.isEmpty()) {
            recentFailures.clear();
            return;
        }
        LoginBlock b = block.get();
        recentFailures.addLast(now);
        while (!recentFailures.isEmpty() && recentFailures.peekFirst() <= now - b.withinSeconds() * 1000L) {
            recentFailures.pollFirst();
        }
        while (recentFailures.size() > b.attempts()) {
            recentFailures.pollFirst();
        }
        if (recentFailures.size() >= b.attempts()) {
            quietUntilMillis = now + b.blockSeconds() * 1000L;
            recentFailures.clear();
        }
    }

    /** A login from {@code source} passed: its failures are forgotten (other attempts in flight still count). */
    synchronized void succeeded(int source) {
        Source s = sources.remove(source);
        if (s != null && s.inFlight() > 1) {
            sources.put(source, new Source(0, s.inFlight() - 1, 0));
        }
    }
}
