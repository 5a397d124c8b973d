package dev.vpnrouter.config.model;

import dev.vpnrouter.config.secret.Md5Crypt;
import dev.vpnrouter.config.secret.SecretText;
import dev.vpnrouter.config.secret.Type7;

import java.util.Optional;

/** A password as the configuration stores it: clear (type 0), reversibly obfuscated (type 7) or hashed (secret 5). */
public sealed interface Password {

    /** The clear text when it can be recovered (type 0 and 7); empty for hashes. */
    Optional<String> clearText();

    /** True when {@code candidate} is this password, compared in constant time. */
    boolean matches(String candidate);

    /** {@code password 0 TEXT} (or without a type). */
    record Clear(String text) implements Password {
        @Override
        public String toString() {
            return "Clear[***]"; // never print a password, not even obfuscated or hashed
        }

        @Override
        public Optional<String> clearText() {
            return Optional.of(text);
        }

        @Override
        public boolean matches(String candidate) {
            return SecretText.same(text, candidate);
        }
    }

    /** {@code password 7 HEX}; the encoded text is kept so the configuration prints back as written. */
    record Type7Encoded(String encoded) implements Password {
        @Override
        public String toString() {
            return "Type7Encoded[***]"; // never print a password, not even obfuscated or hashed
        }

        @Override
        public Optional<String> clearText() {
            return Type7.decode(encoded);
        }

        @Override
        public boolean matches(String candidate) {
            return clearText().map(clear -> SecretText.same(clear, candidate)).orElse(false);
        }
    }

    /** {@code secret 5 $1$salt$hash}: md5-crypt, verified but never recovered. */
    record Secret5(String hash) implements Password {
        @Override
        public String toString() {
            return "Secret5[***]"; // never print a password, not even obfuscated or hashed
        }

        @Override
        public Optional<String> clearText() {
            return Optional.empty();
        }

        @Override
        public boolean matches(String candidate) {
            return Md5Crypt.verify(candidate, hash);
        }
    }
}
