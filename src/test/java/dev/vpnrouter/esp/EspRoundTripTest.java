package dev.vpnrouter.esp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EspRoundTripTest {

    static Stream<EspTransform> transforms() {
        return EspFixtures.allTransforms().stream();
    }

    @ParameterizedTest
    @MethodSource("transforms")
    void sealThenOpenGivesTheInnerPacketBackForEverySize(EspTransform t) {
        for (boolean esn : new boolean[] {false, true}) {
            byte[] keymat = EspFixtures.keymat(t, 7);
            EspOutboundSa out = EspFixtures.outbound(t, keymat, esn);
            EspInboundSa in = EspFixtures.inbound(t, keymat, esn);
            Random random = new Random(t.toString().hashCode()); // the same packets every run
            byte[] sealed = new byte[2000];
            byte[] opened = new byte[2000];
            int count = 0;
            for (int len = 1; len <= 1500; len += (len < 80 ? 1 : 97)) {
                byte[] inner = EspFixtures.ipv4(len, random);
                int n = out.seal(inner, 0, len, sealed, 3);
                assertThat(n).as("sealed length of %d bytes", len).isEqualTo(t.sealedLength(len));
                assertThat(EspHeader.spi(sealed, 3)).isEqualTo(EspFixtures.SPI);
                assertThat(EspHeader.sequence(sealed, 3)).isEqualTo(++count);
                // The payload must not be the plaintext (except for NULL encryption).
                if (t.cipher() != EspCipher.NULL && len >= 16) {
                    byte[] ct = Arrays.copyOfRange(sealed, 3 + t.headerLength(), 3 + t.headerLength() + 16);
                    assertThat(ct).isNotEqualTo(Arrays.copyOf(inner, 16));
                }
                int m = in.open(sealed, 3, n, opened, 5);
                assertThat(m).as("open of %d bytes", len).isEqualTo(len);
                assertThat(Arrays.copyOfRange(opened, 5, 5 + m)).isEqualTo(inner);
                assertThat(in.lastNextHeader()).isEqualTo(4);
            }
            EspCounters sent = out.counters();
            EspCounters received = in.counters();
            assertThat(sent.pktsEncaps()).isEqualTo(count);
            assertThat(sent.pktsDigest()).isEqualTo(t.icvLength() > 0 ? count : 0);
            assertThat(received.pktsDecaps()).isEqualTo(count);
            assertThat(received.pktsVerify()).isEqualTo(t.icvLength() > 0 ? count : 0);
            assertThat(received.recvErrors()).isZero();
            assertThat(received.bytes()).isEqualTo(sent.bytes());
        }
    }

    @ParameterizedTest
    @MethodSource("transforms")
    void sealAndOpenInPlace(EspTransform t) {
        byte[] keymat = EspFixtures.keymat(t, 8);
        EspOutboundSa out = EspFixtures.outbound(t, keymat, false);
        EspInboundSa in = EspFixtures.inbound(t, keymat, false);
        Random random = new Random(3);
        for (int len : new int[] {1, 20, 64, 333, 1400}) {
            byte[] inner = EspFixtures.ipv4(len, random);
            byte[] buf = new byte[t.sealedLength(len) + 40];
            int espOff = 20;
            System.arraycopy(inner, 0, buf, espOff + t.headerLength(), len);
            int n = out.seal(buf, espOff + t.headerLength(), len, buf, espOff);
            assertThat(n).isEqualTo(t.sealedLength(len));
            int m = in.open(buf, espOff, n, buf, espOff + t.headerLength());
            assertThat(m).isEqualTo(len);
            assertThat(Arrays.copyOfRange(buf, espOff + t.headerLength(), espOff + t.headerLength() + len))
                    .isEqualTo(inner);
        }
    }

    @ParameterizedTest
    @MethodSource("transforms")
    void ipv6InnerPacketsCarryNextHeader41(EspTransform t) {
        byte[] keymat = EspFixtures.keymat(t, 9);
        EspOutboundSa out = EspFixtures.outbound(t, keymat, false);
        EspInboundSa in = EspFixtures.inbound(t, keymat, false);
        byte[] inner = new byte[60];
        inner[0] = 0x60;
        var sealed = (EspSealResult.Sealed) out.seal(inner);
        var opened = (EspOpenResult.Opened) in.open(sealed.packet());
        assertThat(opened.inner()).isEqualTo(inner);
        assertThat(opened.nextHeader()).isEqualTo(41);
    }

    @ParameterizedTest
    @MethodSource("transforms")
    void cbcIvsDifferBetweenPackets(EspTransform t) {
        if (t.ivLength() == 0) {
            return;
        }
        EspOutboundSa out = EspFixtures.outbound(t, EspFixtures.keymat(t, 10), false);
        byte[] inner = EspFixtures.ipv4(100, new Random(1));
        byte[] a = ((EspSealResult.Sealed) out.seal(inner)).packet();
        byte[] b = ((EspSealResult.Sealed) out.seal(inner)).packet();
        assertThat(Arrays.copyOfRange(a, 8, 8 + t.ivLength())).isNotEqualTo(Arrays.copyOfRange(b, 8, 8 + t.ivLength()));
        assertThat(Arrays.copyOfRange(a, t.headerLength(), a.length))
                .isNotEqualTo(Arrays.copyOfRange(b, t.headerLength(), b.length));
    }
}
