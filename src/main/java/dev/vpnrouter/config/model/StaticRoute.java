package dev.vpnrouter.config.model;

import java.util.Optional;
import java.util.OptionalInt;

/** {@code ip route PREFIX MASK {NEXTHOP | INTERFACE [NEXTHOP]} [DISTANCE] [name N] [permanent]}. */
public record StaticRoute(int prefix, int mask, Optional<String> outInterface, OptionalInt nextHop, int distance,
                          Optional<String> name, boolean permanent) {
    public static final int DEFAULT_DISTANCE = 1;
}
