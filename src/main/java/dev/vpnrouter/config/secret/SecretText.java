package dev.vpnrouter.config.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Comparing a password someone typed with the configured one, in time that does not tell how much of it matched. */
public final class SecretText {
    private SecretText() {
    }

    /**
     * True when {@code candidate} is {@code expected}. {@link MessageDigest#isEqual} runs in time that depends only on
     * the length of its first argument, the configured secret, never on where the candidate differs.
     */
    public static boolean same(String expected, String candidate) {
        if (expected == null || candidate == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                candidate.getBytes(StandardCharsets.UTF_8));
    }
}
