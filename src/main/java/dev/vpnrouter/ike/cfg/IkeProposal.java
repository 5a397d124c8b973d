package dev.vpnrouter.ike.cfg;

import dev.vpnrouter.ike.crypto.HashAlgorithm;
import dev.vpnrouter.ike.wire.Phase1Attribute;

/**
 * One phase-1 proposal as the engine offers and accepts it: an {@code crypto isakmp policy} with its priority.
 *
 * @param encryption Phase1Attribute.Encryption value (DES_CBC, TRIPLE_DES_CBC, AES_CBC)
 * @param keyBits AES key length, 0 for DES/3DES
 * @param authMethod Phase1Attribute.AuthMethod value; PRE_SHARED_KEY for "authentication pre-share"
 */
public record IkeProposal(int priority, int encryption, int keyBits, HashAlgorithm hash, int authMethod, int dhGroup,
        long lifetimeSeconds) {

    /** IOS names as {@code show crypto isakmp sa} prints them: des, 3des, aes, aes192, aes256. */
    public String iosEncryptionName() {
        return switch (encryption) {
            case Phase1Attribute.Encryption.DES_CBC -> "des";
            case Phase1Attribute.Encryption.TRIPLE_DES_CBC -> "3des";
            case Phase1Attribute.Encryption.AES_CBC -> keyBits == 128 ? "aes" : "aes" + keyBits;
            default -> "enc" + encryption;
        };
    }

    public String describe() {
        return iosEncryptionName() + "/" + hash.iosName() + "/group" + dhGroup;
    }
}
