package dev.vpnrouter.config.model;

import java.util.List;

/**
 * An access list: numbered ({@code access-list 100 ...}, name "100") or named ({@code ip access-list extended N}).
 */
public record AccessList(String name, Kind kind, boolean named, List<AclEntry> entries) {
    public AccessList {
        entries = List.copyOf(entries);
    }

    public enum Kind {
        STANDARD,
        EXTENDED
    }
}
