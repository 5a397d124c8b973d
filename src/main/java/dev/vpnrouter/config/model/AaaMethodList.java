package dev.vpnrouter.config.model;

import java.util.List;

/** A named AAA method list ({@code aaa authentication login NAME local}); {@code default} is a name too. */
public record AaaMethodList(String name, List<AaaMethod> methods) {
    public AaaMethodList {
        methods = List.copyOf(methods);
    }
}
