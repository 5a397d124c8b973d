package dev.vpnrouter.ike.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer target: any bytes through the ISAKMP decoder. Bad input may only become an {@link IsakmpDecodeException};
 * what decodes re-encodes to bytes that decode to the same payloads (the codec is its own oracle). Regression
 * inputs: {@code src/test/resources/dev/vpnrouter/ike/wire/IsakmpDecoderFuzzTestInputs/decode/} (real messages of
 * our exchanges and of the strongSwan capture). Fuzz with {@code JAZZER_FUZZ=1}, see docs/robustness.md.
 */
class IsakmpDecoderFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void decode(byte[] datagram) {
        DecodedMessage m;
        try {
            m = IsakmpCodec.decode(datagram);
        } catch (IsakmpDecodeException e) {
            assertThat(e.notifyType()).isPositive();
            return;
        }
        switch (m) {
            case PlainMessage pm -> {
                checkRules(pm.header(), pm.payloads());
                byte[] again = IsakmpCodec.encode(pm.header(), pm.payloads().payloads());
                PlainMessage reread = (PlainMessage) decodeOrFail(again);
                assertThat(reread.payloads().payloads()).isEqualTo(pm.payloads().payloads());
            }
            case EncryptedMessage em -> {
                // What a decryption would hand on: the body as a payload chain with padding allowed.
                try {
                    PayloadChain chain = IsakmpCodec.decodePayloads(em.header().nextPayload(), em.body());
                    checkRules(em.header(), chain);
                    assertThat(IsakmpCodec.encodePayloads(chain.payloads()))
                            .isEqualTo(Arrays.copyOf(em.body(), chain.length()));
                } catch (IsakmpDecodeException e) {
                    assertThat(e.notifyType()).isPositive();
                }
            }
        }
    }

    private static void checkRules(IsakmpHeader header, PayloadChain chain) {
        for (MessageRule rule : MessageRule.values()) {
            if (rule.exchangeType() == header.exchangeType()) {
                try {
                    rule.check(header, chain);
                } catch (IsakmpDecodeException e) {
                    assertThat(e.notifyType()).isPositive();
                }
            }
        }
    }

    private static DecodedMessage decodeOrFail(byte[] bytes) {
        try {
            return IsakmpCodec.decode(bytes);
        } catch (IsakmpDecodeException e) {
            throw new AssertionError("our own encoding does not decode: " + e.getMessage(), e);
        }
    }

    /** Adds every ISAKMP datagram of the strongSwan capture to the seed corpus (run from the repository root). */
    public static void main(String[] args) throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Path.of(
                "src/test/resources/dev/vpnrouter/ike/wire/IsakmpDecoderFuzzTestInputs/decode");
        java.nio.file.Files.createDirectories(dir);
        try (var in = java.nio.file.Files.newInputStream(
                java.nio.file.Path.of("src/test/resources/vectors/strongswan-hub-seed/seed-exchanges.pcap"))) {
            for (PcapReader.Datagram d : PcapReader.isakmpDatagrams(in)) {
                java.nio.file.Files.write(dir.resolve("strongswan-frame-" + d.frame()), d.isakmp());
            }
        }
    }
}
