package dev.vpnrouter.config.model;

import java.util.List;
import java.util.Optional;

/** {@code interface NAME} (canonical name, e.g. FastEthernet0/0). */
public record Interface(String name, Optional<String> description, InterfaceAddress address,
                        List<InterfaceAddress.Static> secondaryAddresses, boolean shutdown,
                        Optional<String> cryptoMap, List<PassiveLine> passive) {
    public Interface {
        secondaryAddresses = List.copyOf(secondaryAddresses);
        passive = List.copyOf(passive);
    }
}
