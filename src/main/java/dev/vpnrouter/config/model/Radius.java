package dev.vpnrouter.config.model;

import java.util.List;
import java.util.Optional;

/** RADIUS servers and the global {@code radius-server key}. */
public record Radius(List<RadiusServer> servers, Optional<String> defaultKey) {
    public Radius {
        servers = List.copyOf(servers);
    }
}
