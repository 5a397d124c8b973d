package dev.vpnrouter.config.model;

import java.util.Optional;

/** {@code crypto ipsec transform-set NAME esp-... esp-...-hmac} with its {@code mode}. */
public record TransformSet(String name, Optional<EspCipher> cipher, Optional<EspIntegrity> integrity,
                           IpsecMode mode) {
}
