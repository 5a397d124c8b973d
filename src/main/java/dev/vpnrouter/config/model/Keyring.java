package dev.vpnrouter.config.model;

import java.util.List;
import java.util.Optional;

/** {@code crypto keyring NAME} and its keys. */
public record Keyring(String name, Optional<String> description, List<PreSharedKey> keys) {
    public Keyring {
        keys = List.copyOf(keys);
    }
}
