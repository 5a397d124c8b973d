package dev.vpnrouter.config.model;

import java.util.OptionalInt;

/** {@code username NAME [privilege N] password 0|7 X} or {@code ... secret 5 X}. */
public record LocalUser(String name, OptionalInt privilege, Password password) {
}
