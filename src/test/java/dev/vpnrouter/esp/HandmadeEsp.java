package dev.vpnrouter.esp;

import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds ESP packets with JCE directly, with any payload bytes (including broken padding or
 * trailers) and a valid ICV, to reach the checks that run after authentication. Independent of
 * the engine's sealing code.
 */
final class HandmadeEsp {
    private HandmadeEsp() {
    }

    static byte[] build(EspTransform t, byte[] keymat, int spi, int seq, byte[] payloadWithTrailer) throws Exception {
        byte[] header = EspKnownAnswerTest.concat(EspKnownAnswerTest.intBytes(spi), EspKnownAnswerTest.intBytes(seq));
        byte[] iv = new byte[t.ivLength()];
        Arrays.fill(iv, (byte) 0x5A);
        byte[] body;
        switch (t.cipher()) {
            case NULL -> body = payloadWithTrailer;
            case AES_CBC, DES3_CBC -> {
                String alg = t.cipher() == EspCipher.AES_CBC ? "AES" : "DESede";
                Cipher c = Cipher.getInstance(alg + "/CBC/NoPadding");
                c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(t.encryptionKey(keymat), alg), new IvParameterSpec(iv));
                body = c.doFinal(payloadWithTrailer);
            }
            case AES_GCM_16 -> {
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                byte[] nonce = EspKnownAnswerTest.concat(t.salt(keymat), iv);
                c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(t.encryptionKey(keymat), "AES"),
                        new GCMParameterSpec(128, nonce));
                c.updateAAD(header);
                return EspKnownAnswerTest.concat(header, iv, c.doFinal(payloadWithTrailer));
            }
            default -> throw new IllegalArgumentException("not supported here: " + t);
        }
        byte[] packet = EspKnownAnswerTest.concat(header, iv, body);
        if (t.integrity() == EspIntegrity.NONE) {
            return packet;
        }
        Mac mac = Mac.getInstance(t.integrity().jceName());
        mac.init(new SecretKeySpec(t.integrityKey(keymat), t.integrity().jceName()));
        return EspKnownAnswerTest.concat(packet, Arrays.copyOf(mac.doFinal(packet), t.integrity().icvLength()));
    }
}
