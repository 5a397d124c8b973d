package dev.vpnrouter.policy;

import dev.vpnrouter.config.model.InterfaceAddress;

import java.util.Optional;

/** An interface: its address (static, DHCP or none), whether shut down, and the crypto map applied to it. */
public record InterfacePolicy(String name, InterfaceAddress address, boolean shutdown,
                              Optional<CryptoMapPolicy> cryptoMap) {
}
