package dev.vpnrouter.config.model;

import java.util.List;

/** {@code crypto map NAME}: its entries in sequence order. */
public record CryptoMap(String name, List<MapEntry> entries) {
    public CryptoMap {
        entries = List.copyOf(entries);
    }
}
