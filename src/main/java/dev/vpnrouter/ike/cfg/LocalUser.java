package dev.vpnrouter.ike.cfg;

import dev.vpnrouter.config.secret.SecretText;
import dev.vpnrouter.config.secret.Type7;

/**
 * A local user ({@code username NAME password 0|7 ...} or {@code username NAME secret 5 ...}) as Xauth checks it
 * through {@code aaa authentication login LIST local}.
 *
 * @param encryption 0 (clear), 7 (Cisco type 7) or 5 (MD5 crypt); other types (8, 9) are not supported and never
 *                   match
 * @param secret     the configured string as written after the encryption type
 */
public record LocalUser(String name, int encryption, String secret) {
    public static final int CLEAR = 0;
    public static final int TYPE7 = 7;
    public static final int MD5_CRYPT = 5;

    public LocalUser {
        if (name == null || secret == null) {
            throw new IllegalArgumentException("user name and secret are required");
        }
    }

    public static LocalUser clear(String name, String password) {
        return new LocalUser(name, CLEAR, password);
    }

    /** True when {@code password} is this user's password. */
    public boolean matches(String password) {
        if (password == null) {
            return false;
        }
        return switch (encryption) {
            case CLEAR -> SecretText.same(secret, password);
            case TYPE7 -> Type7.decode(secret).map(clear -> SecretText.same(clear, password)).orElse(false);
            case MD5_CRYPT -> dev.vpnrouter.config.secret.Md5Crypt.verify(password, secret);
            default -> false;
        };
    }

    @Override
    public String toString() {
        return "LocalUser[" + name + ", type " + encryption + "]"; // never print the secret
    }
}
