package dev.vpnrouter.dataplane;

import dev.vpnrouter.esp.EspCipher;
import dev.vpnrouter.esp.EspIntegrity;
import dev.vpnrouter.esp.EspTransform;
import dev.vpnrouter.ike.cfg.EspProposal;
import dev.vpnrouter.ike.wire.IpsecAttribute;
import dev.vpnrouter.ike.wire.TransformId;

/**
 * The one place where a negotiated IKE transform ({@link EspProposal}: IANA transform ID, key length, auth
 * algorithm) becomes what the ESP engine runs ({@link EspTransform}). Both sides split KEYMAT the same way:
 * encryption key (for GCM followed by its 4-byte salt), then integrity key.
 */
public final class EspTransforms {
    private EspTransforms() {
    }

    /** The ESP engine's transform for a negotiated proposal, or null when the engine cannot carry it. */
    public static EspTransform tryOf(EspProposal p) {
        EspCipher cipher = switch (p.espTransformId()) {
            case TransformId.Esp.ESP_3DES -> EspCipher.DES3_CBC;
            case TransformId.Esp.ESP_AES -> EspCipher.AES_CBC;
            case TransformId.Esp.ESP_AES_GCM_8 -> EspCipher.AES_GCM_8;
            case TransformId.Esp.ESP_AES_GCM_12 -> EspCipher.AES_GCM_12;
            case TransformId.Esp.ESP_AES_GCM_16 -> EspCipher.AES_GCM_16;
            case TransformId.Esp.ESP_NULL -> EspCipher.NULL;
            default -> null; // single DES and the exotic ciphers: never carried
        };
        EspIntegrity integrity = switch (p.authAlgorithm()) {
            case 0 -> EspIntegrity.NONE;
            case IpsecAttribute.AuthAlgorithm.HMAC_MD5 -> EspIntegrity.HMAC_MD5_96;
            case IpsecAttribute.AuthAlgorithm.HMAC_SHA -> EspIntegrity.HMAC_SHA1_96;
            case IpsecAttribute.AuthAlgorithm.HMAC_SHA2_256 -> EspIntegrity.HMAC_SHA256_128;
            case IpsecAttribute.AuthAlgorithm.HMAC_SHA2_384 -> EspIntegrity.HMAC_SHA384_192;
            case IpsecAttribute.AuthAlgorithm.HMAC_SHA2_512 -> EspIntegrity.HMAC_SHA512_256;
            default -> null;
        };
        if (cipher == null || integrity == null) {
            return null;
        }
        int keyBits = cipher == EspCipher.DES3_CBC || cipher == EspCipher.NULL || p.keyBits() == 0
                ? cipher.defaultKeyBits() : p.keyBits();
        if (!cipher.acceptsKeyBits(keyBits)) {
            return null;
        }
        try {
            return new EspTransform(cipher, keyBits, integrity);
        } catch (IllegalArgumentException e) {
            return null; // e.g. GCM with a separate HMAC, or NULL without integrity
        }
    }

    /** Like {@link #tryOf} but throws {@link IllegalArgumentException} naming the proposal. */
    public static EspTransform of(EspProposal p) {
        EspTransform t = tryOf(p);
        if (t == null) {
            throw new IllegalArgumentException("the ESP engine cannot carry " + p.iosTransform());
        }
        return t;
    }
}
