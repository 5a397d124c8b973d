package dev.vpnrouter.config;

import java.util.List;
import java.util.Locale;

/**
 * Is a pre-shared key strong enough to survive an offline attack? Aggressive Mode sends HASH_R, a PRF keyed with
 * the pre-shared key, to anyone who asks with the right identity: ike-scan captures it and psk-crack tries a
 * dictionary, then brute force, against it at millions of guesses per second. A key survives only if it is long
 * and not built from words.
 */
public final class KeyStrength {
    /** Shorter than this, brute force alone finds it. */
    public static final int MIN_LENGTH = 16;

    /** Words that dictionaries try first, and that vendor examples (the seed's "cisco123") teach. */
    private static final List<String> WORDS = List.of("cisco", "password", "passwd", "secret", "vpn", "ipsec",
            "admin", "test", "group", "key", "welcome", "letmein", "qwerty", "12345", "abc", "changeme", "default",
            "shared", "router", "private", "company", "office", "love", "master", "dragon", "monkey");

    private KeyStrength() {
    }

    /** Why the key is weak, or null when it is not. */
    public static String weakness(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        for (String w : WORDS) {
            if (lower.contains(w)) {
                return "it contains the dictionary word \"" + w + "\"";
            }
        }
        if (key.length() < MIN_LENGTH) {
            return "it has only " + key.length() + " characters (use at least " + MIN_LENGTH + ")";
        }
        if (lower.matches("[a-z]+[0-9]{0,4}") || lower.matches("[0-9]+")) {
            return "it is one word or number (with at most a few digits), the first thing a dictionary attack tries";
        }
        if (key.chars().distinct().count() < 6) {
            return "it repeats a few characters";
        }
        return null;
    }
}
