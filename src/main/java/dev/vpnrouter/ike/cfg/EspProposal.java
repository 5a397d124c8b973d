package dev.vpnrouter.ike.cfg;

import dev.vpnrouter.ike.wire.IpsecAttribute;
import dev.vpnrouter.ike.wire.TransformId;

/**
 * One ESP transform set as Quick Mode offers and accepts it ({@code crypto ipsec transform-set NAME esp-3des
 * esp-sha-hmac}).
 *
 * @param espTransformId TransformId.Esp value (ESP_3DES, ESP_AES, ESP_AES_GCM_16, ESP_NULL, ...)
 * @param keyBits AES key length, 0 for fixed-key ciphers
 * @param authAlgorithm IpsecAttribute.AuthAlgorithm value, 0 for none (GCM)
 * @param tunnel tunnel mode (transport otherwise)
 */
public record EspProposal(String name, int espTransformId, int keyBits, int authAlgorithm, boolean tunnel) {

    /** Whether packets are authenticated: an HMAC, or AES-GCM. Without it an SA has no replay detection. */
    public boolean hasIntegrity() {
        return authAlgorithm != 0 || espTransformId == TransformId.Esp.ESP_AES_GCM_8
                || espTransformId == TransformId.Esp.ESP_AES_GCM_12 || espTransformId == TransformId.Esp.ESP_AES_GCM_16;
    }

    /** Bytes of encryption key material (for GCM including the 4-byte salt). */
    public int encryptionKeyLength() {
        return switch (espTransformId) {
            case TransformId.Esp.ESP_DES -> 8;
            case TransformId.Esp.ESP_3DES -> 24;
            case TransformId.Esp.ESP_AES -> keyBits / 8;
            case TransformId.Esp.ESP_AES_GCM_8, TransformId.Esp.ESP_AES_GCM_12, TransformId.Esp.ESP_AES_GCM_16 ->
                    keyBits / 8 + 4;
            case TransformId.Esp.ESP_NULL -> 0;
            default -> throw new IllegalStateException("unsupported ESP transform " + espTransformId);
        };
    }

    /** Bytes of integrity key material. */
    public int integrityKeyLength() {
        return switch (authAlgorithm) {
            case 0 -> 0;
            case IpsecAttribute.AuthAlgorithm.HMAC_MD5 -> 16;
            case IpsecAttribute.AuthAlgorithm.HMAC_SHA -> 20;
            case IpsecAttribute.AuthAlgorithm.HMAC_SHA2_256 -> 32;
            case IpsecAttribute.AuthAlgorithm.HMAC_SHA2_384 -> 48;
            case IpsecAttribute.AuthAlgorithm.HMAC_SHA2_512 -> 64;
            default -> throw new IllegalStateException("unsupported ESP authentication " + authAlgorithm);
        };
    }

    public int keymatLength() {
        return encryptionKeyLength() + integrityKeyLength();
    }

    /** The IOS form {@code show crypto ipsec sa} prints: "esp-3des esp-sha-hmac". */
    public String iosTransform() {
        String cipher = switch (espTransformId) {
            case TransformId.Esp.ESP_DES -> "esp-des";
            case TransformId.Esp.ESP_3DES -> "esp-3des";
            case TransformId.Esp.ESP_AES -> keyBits == 128 ? "esp-aes" : "esp-aes " + keyBits;
            case TransformId.Esp.ESP_AES_GCM_8, TransformId.Esp.ESP_AES_GCM_12, TransformId.Esp.ESP_AES_GCM_16 ->
                    "esp-gcm" + (keyBits == 128 ? "" : " " + keyBits);
            case TransformId.Esp.ESP_NULL -> "esp-null";
            default -> "esp-" + espTransformId;
        };
        String auth = switch (authAlgorithm) {
            case 0 -> "";
            case IpsecAttribute.AuthAlgorithm.HMAC_MD5 -> " esp-md5-hmac";
            case IpsecAttribute.AuthAlgorithm.HMAC_SHA -> " esp-sha-hmac";
            case IpsecAttribute.AuthAlgorithm.HMAC_SHA2_256 -> " esp-sha256-hmac";
            case IpsecAttribute.AuthAlgorithm.HMAC_SHA2_384 -> " esp-sha384-hmac";
            case IpsecAttribute.AuthAlgorithm.HMAC_SHA2_512 -> " esp-sha512-hmac";
            default -> " auth" + authAlgorithm;
        };
        return cipher + auth;
    }
}
