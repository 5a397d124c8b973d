package dev.vpnrouter.esp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Sequence-number exhaustion, byte and packet limits, outbound refusals. */
class EspLifetimeTest {
    private static final EspTransform T = EspTransform.of(EspCipher.AES_CBC, 128, EspIntegrity.HMAC_SHA1_96);
    private static final byte[] KEYMAT = EspFixtures.keymat(T, 20);
    private static final byte[] INNER = EspFixtures.ipv4(100, new Random(1));

    @Test
    void sequenceNumberNeverWrapsWithoutEsn() {
        EspOutboundSa out = EspOutboundSa.builder(1, T, KEYMAT).initialSequence(0xFFFF_FFFEL).build();
        assertThat(out.lifetimeState()).isEqualTo(EspLifetimeState.REKEY_NEEDED); // close to the end
        byte[] a = ((EspSealResult.Sealed) out.seal(INNER)).packet();
        byte[] b = ((EspSealResult.Sealed) out.seal(INNER)).packet();
        assertThat(EspHeader.sequence(a, 0)).isEqualTo(0xFFFF_FFFEL);
        assertThat(EspHeader.sequence(b, 0)).isEqualTo(0xFFFF_FFFFL);
        assertThat(out.sequenceExhausted()).isTrue();
        assertThat(out.lifetimeState()).isEqualTo(EspLifetimeState.EXPIRED);
        for (int i = 0; i < 3; i++) {
            assertThat(out.seal(INNER)).isEqualTo(new EspSealResult.Refused(EspSealError.SEQUENCE_EXHAUSTED));
        }
        EspCounters c = out.counters();
        assertThat(c.pktsEncaps()).isEqualTo(2);
        assertThat(c.sendErrors()).isEqualTo(3);
        assertThat(c.sealErrors(EspSealError.SEQUENCE_EXHAUSTED)).isEqualTo(3);

        // The receiver accepts the last one, and nothing after it could be sent.
        EspInboundSa in = EspInboundSa.builder(1, T, KEYMAT).build();
        assertThat(in.open(b)).isInstanceOf(EspOpenResult.Opened.class);
        assertThat(in.open(a)).isInstanceOf(EspOpenResult.Opened.class);
        assertThat(in.lifetimeState()).isEqualTo(EspLifetimeState.REKEY_NEEDED);
    }

    @Test
    void esnCarriesOnPastTheLow32BitsAndTheReceiverFollows() {
        for (EspTransform t : new EspTransform[] {T, EspTransform.gcm(EspCipher.AES_GCM_16, 256),
                EspTransform.gcm(EspCipher.AES_GCM_8, 128)}) {
            byte[] keymat = EspFixtures.keymat(t, 21);
            EspOutboundSa out = EspOutboundSa.builder(1, t, keymat).esn(true).initialSequence(0xFFFF_FFF0L).build();
            EspInboundSa in = EspInboundSa.builder(1, t, keymat).esn(true).build();
            in.replayWindow().update(0xFFFF_FFEFL);
            for (int i = 0; i < 40; i++) {
                byte[] p = ((EspSealResult.Sealed) out.seal(INNER)).packet();
                assertThat(in.open(p)).as("%s packet %d", t, i).isInstanceOf(EspOpenResult.Opened.class);
            }
            assertThat(out.nextSequence()).isEqualTo(0x1_0000_0018L);
            assertThat(in.replayWindow().highest()).isEqualTo(0x1_0000_0017L);
            assertThat(out.lifetimeState()).isEqualTo(EspLifetimeState.ACTIVE);
            // A receiver without ESN cannot verify these: the ICV covers the high bits.
            EspInboundSa plain = EspInboundSa.builder(1, t, keymat).build();
            byte[] p = ((EspSealResult.Sealed) out.seal(INNER)).packet();
            assertThat(plain.open(p)).isEqualTo(new EspOpenResult.Dropped(EspDropReason.AUTH_FAILED));
        }
    }

    @Test
    void byteLimitsAskForRekeyThenStopTheSa() {
        EspLifetime limits = new EspLifetime(250, 400, Long.MAX_VALUE, Long.MAX_VALUE);
        EspOutboundSa out = EspOutboundSa.builder(1, T, KEYMAT).lifetime(limits).build();
        EspInboundSa in = EspInboundSa.builder(1, T, KEYMAT).lifetime(limits).build();
        byte[][] sent = new byte[5][];
        for (int i = 0; i < 4; i++) {
            sent[i] = ((EspSealResult.Sealed) out.seal(INNER)).packet();
            EspLifetimeState expected = i < 2 ? EspLifetimeState.ACTIVE
                    : i < 3 ? EspLifetimeState.REKEY_NEEDED : EspLifetimeState.EXPIRED;
            assertThat(out.lifetimeState()).as("after %d bytes", 100 * (i + 1)).isEqualTo(expected);
            assertThat(out.rekeyNeeded()).isEqualTo(i >= 2);
            assertThat(in.open(sent[i])).isInstanceOf(EspOpenResult.Opened.class);
            assertThat(in.lifetimeState()).isEqualTo(expected);
        }
        assertThat(out.seal(INNER)).isEqualTo(new EspSealResult.Refused(EspSealError.SA_EXPIRED));
        assertThat(out.counters().bytes()).isEqualTo(400);
        assertThat(out.counters().kilobytes()).isZero();
        EspOutboundSa other = EspOutboundSa.builder(1, T, KEYMAT).initialSequence(10).build();
        assertThat(in.open(((EspSealResult.Sealed) other.seal(INNER)).packet()))
                .isEqualTo(new EspOpenResult.Dropped(EspDropReason.SA_EXPIRED));
    }

    @Test
    void packetLimits() {
        EspLifetime limits = new EspLifetime(Long.MAX_VALUE - 1, Long.MAX_VALUE, 2, 3);
        EspOutboundSa out = EspOutboundSa.builder(1, T, KEYMAT).lifetime(limits).build();
        out.seal(INNER);
        assertThat(out.lifetimeState()).isEqualTo(EspLifetimeState.ACTIVE);
        out.seal(INNER);
        assertThat(out.lifetimeState()).isEqualTo(EspLifetimeState.REKEY_NEEDED);
        out.seal(INNER);
        assertThat(out.seal(INNER)).isEqualTo(new EspSealResult.Refused(EspSealError.SA_EXPIRED));
        assertThat(EspLifetime.ofKilobytes(4_147_200, 4_608_000).hardBytes()).isEqualTo(4_608_000L * 1024);
    }

    @Test
    void outboundRefusesBadArgumentsWithoutThrowing() {
        EspOutboundSa out = EspOutboundSa.builder(1, T, KEYMAT).build();
        byte[] buf = new byte[300];
        assertThat(out.seal(INNER, 0, 100, new byte[50], 0)).isEqualTo(EspSealError.BAD_BUFFER.code());
        assertThat(out.seal(INNER, 50, 100, buf, 0)).isEqualTo(EspSealError.BAD_BUFFER.code());
        assertThat(out.seal(null, 0, 100, buf, 0)).isEqualTo(EspSealError.BAD_BUFFER.code());
        assertThat(out.seal(INNER, 0, 0, buf, 0)).isEqualTo(EspSealError.BAD_INNER_PACKET.code());
        byte[] notIp = INNER.clone();
        notIp[0] = 0x15;
        assertThat(out.seal(notIp, 0, notIp.length, buf, 0)).isEqualTo(EspSealError.BAD_INNER_PACKET.code());
        assertThat(out.seal(notIp, 0, notIp.length, buf, 0, 4)).isPositive(); // explicit next header
        // Overlapping buffers other than the in-place layout.
        System.arraycopy(INNER, 0, buf, 10, 100);
        assertThat(out.seal(buf, 10, 100, buf, 0)).isEqualTo(EspSealError.BAD_BUFFER.code());
        assertThat(out.seal(buf, 10, 100, buf, 120)).isEqualTo(T.sealedLength(100)); // disjoint
        assertThat(out.counters().sendErrors()).isEqualTo(6);
        assertThat(out.nextSequence()).as("refusals use no sequence numbers").isEqualTo(3);
    }
}
