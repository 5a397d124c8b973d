package dev.vpnrouter.policy;

import dev.vpnrouter.config.model.LocalUser;

import java.util.Map;
import java.util.Optional;

/** The {@code username} database (AAA method {@code local}). */
public final class LocalUsers {
    private final Map<String, LocalUser> users;

    LocalUsers(Map<String, LocalUser> users) {
        this.users = Map.copyOf(users);
    }

    public Optional<LocalUser> user(String name) {
        return Optional.ofNullable(users.get(name));
    }

    /** True when {@code name} exists and {@code password} is its password (type 0, 7 or secret 5). */
    public boolean authenticate(String name, String password) {
        LocalUser u = users.get(name);
        return u != null && u.password().matches(password);
    }

    public int size() {
        return users.size();
    }
}
