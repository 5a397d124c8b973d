package dev.vpnrouter.config.model;

import java.util.List;

/** {@code crypto dynamic-map NAME}: templates for peers whose address is not known, in sequence order. */
public record DynamicMap(String name, List<MapEntry> entries) {
    public DynamicMap {
        entries = List.copyOf(entries);
    }
}
