package dev.vpnrouter.policy;

import dev.vpnrouter.config.model.EspCipher;
import dev.vpnrouter.config.model.EspIntegrity;
import dev.vpnrouter.config.model.IpsecMode;

import java.util.Optional;

/**
 * A transform set as Quick Mode proposes it: ESP cipher (with key size; {@link EspCipher#NULL} when the set has
 * only an integrity transform), integrity (empty for GCM or a cipher-only set) and encapsulation mode.
 */
public record TransformProposal(String name, EspCipher cipher, Optional<EspIntegrity> integrity, IpsecMode mode) {
    public int keyBits() {
        return cipher.keyBits();
    }
}
