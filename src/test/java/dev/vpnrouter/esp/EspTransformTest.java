package dev.vpnrouter.esp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class EspTransformTest {

    @Test
    void invalidCombinationsAreRejected() {
        assertThatThrownBy(() -> EspTransform.of(EspCipher.AES_CBC, 100, EspIntegrity.HMAC_SHA1_96))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EspTransform.of(EspCipher.AES_GCM_16, 128, EspIntegrity.HMAC_SHA1_96))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EspTransform.of(EspCipher.NULL, 0, EspIntegrity.NONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EspTransform.of(EspCipher.DES3_CBC, 128, EspIntegrity.NONE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sizes() {
        EspTransform seed = EspTransform.of(EspCipher.DES3_CBC, 192, EspIntegrity.HMAC_SHA1_96);
        assertThat(seed.headerLength()).isEqualTo(16);
        assertThat(seed.icvLength()).isEqualTo(12);
        // 100 + 2 -> 104 (8-byte blocks)
        assertThat(seed.sealedLength(100)).isEqualTo(16 + 104 + 12);
        assertThat(seed.maxOverhead()).isEqualTo(16 + 7 + 2 + 12);
        EspTransform gcm = EspTransform.gcm(EspCipher.AES_GCM_16, 256);
        assertThat(gcm.keymatLength()).isEqualTo(36);
        assertThat(gcm.sealedLength(1400)).isEqualTo(16 + 1404 + 16); // 4-byte alignment
        assertThat(gcm.toString()).isEqualTo("esp-gcm 256");
        assertThat(EspTransform.gcm(EspCipher.AES_GCM_8, 128).toString()).isEqualTo("esp-gcm 128 icv8");
        assertThat(EspTransform.of(EspCipher.AES_CBC, 256, EspIntegrity.HMAC_SHA256_128).toString())
                .isEqualTo("esp-aes 256 esp-sha256-hmac");
    }

    @Test
    void ikeNumbers() {
        assertThat(EspCipher.fromIkeTransformId(3)).contains(EspCipher.DES3_CBC);
        assertThat(EspCipher.fromIkeTransformId(12)).contains(EspCipher.AES_CBC);
        assertThat(EspCipher.fromIkeTransformId(20)).contains(EspCipher.AES_GCM_16);
        assertThat(EspCipher.fromIkeTransformId(2)).isEqualTo(Optional.empty()); // single DES: not supported
        assertThat(EspIntegrity.fromIkeAuthAlgorithm(2)).contains(EspIntegrity.HMAC_SHA1_96);
        assertThat(EspIntegrity.fromIkeAuthAlgorithm(7)).contains(EspIntegrity.HMAC_SHA512_256);
        assertThat(EspIntegrity.fromIkeAuthAlgorithm(0)).isEmpty();
    }

    @Test
    void dropAndErrorCodesRoundTrip() {
        for (EspDropReason r : EspDropReason.values()) {
            assertThat(r.code()).isNegative();
            assertThat(EspDropReason.fromCode(r.code())).isEqualTo(r);
            assertThat(r.iosCounter()).startsWith("#pkts");
        }
        for (EspSealError e : EspSealError.values()) {
            assertThat(EspSealError.fromCode(e.code())).isEqualTo(e);
        }
        assertThatThrownBy(() -> EspDropReason.fromCode(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
