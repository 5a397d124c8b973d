package dev.vpnrouter.dataplane;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.esp.EspOutboundSa;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.EspProposal;
import dev.vpnrouter.ike.wire.IpsecAttribute;
import dev.vpnrouter.ike.wire.TransformId;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer target: the ESP open path of the hub's data plane (SPI lookup, lengths, replay window, ICV, decryption,
 * padding, next header, the inner packet against the SA's proxy identities). The first byte picks the transform
 * (3DES/SHA-1 as the seed, AES-CBC/SHA-256, AES-GCM-16) and how the input becomes a packet: raw bytes after the SA's
 * SPI; an inner packet sealed by a peer that holds the keys (so the checks after the ICV are reached); or a real
 * sealed ping XORed with the input. Nothing may throw, and nothing outside the SA's identities may be delivered.
 */
class EspOpenFuzzTest {
    static final int SPOKE = Ipv4.parse("198.51.100.146");
    static final int SPOKE_HOST = Ipv4.parse("10.2.2.10");
    static final int HUB_HOST = Ipv4.parse("10.1.1.10");

    static final List<EspProposal> TRANSFORMS = List.of(
            new EspProposal("myset", TransformId.Esp.ESP_3DES, 0, IpsecAttribute.AuthAlgorithm.HMAC_SHA, true),
            new EspProposal("aes", TransformId.Esp.ESP_AES, 128, IpsecAttribute.AuthAlgorithm.HMAC_SHA2_256, true),
            new EspProposal("gcm", TransformId.Esp.ESP_AES_GCM_16, 128, 0, true));

    /** The hub's plane with one SA pair installed, and the spoke's sealer holding the same keys. */
    private static final class Rig {
        final DataPlane hub = DataPlaneTest.hubPlane();
        final EspOutboundSa peer;
        final ChildSa hubSide;

        Rig(EspProposal transform) {
            DataPlaneTest keys = new DataPlaneTest();
            ChildSa[] pair = keys.pair(transform, 0, 0, 0);
            hubSide = pair[1];
            hub.install(hubSide, 0);
            peer = EspOutboundSa.builder(pair[0].outboundSpi(), EspTransforms.of(transform), pair[0].outboundKeys())
                    .random(new java.security.SecureRandom(new byte[] {1})).build();
        }
    }

    private static final Rig[] RIGS = new Rig[TRANSFORMS.size()];

    @FuzzTest(maxDuration = "10m")
    void open(byte[] input) {
        if (input.length < 1) {
            return;
        }
        int which = (input[0] & 0xff) % TRANSFORMS.size();
        int shape = ((input[0] & 0xff) / TRANSFORMS.size()) % 4;
        byte[] rest = Arrays.copyOfRange(input, 1, input.length);
        Rig rig = RIGS[which];
        if (rig == null) {
            rig = new Rig(TRANSFORMS.get(which));
            RIGS[which] = rig;
        }
        byte[] esp = switch (shape) {
            case 0 -> withSpi(rig, rest);
            case 1 -> sealed(rig, rest, 4);
            case 2 -> sealed(rig, rest.length > 0 ? Arrays.copyOfRange(rest, 1, rest.length) : rest,
                    rest.length > 0 ? rest[0] & 0xff : 4);
            default -> {
                byte[] real = sealed(rig, DataPlaneTest.ping(SPOKE_HOST, HUB_HOST, 1, 16), 4);
                for (int i = 0; i < Math.min(real.length, rest.length); i++) {
                    real[i] ^= rest[i];
                }
                yield real;
            }
        };
        DataPlaneCounters before = rig.hub.counters();
        InboundResult r = rig.hub.inbound(esp, SPOKE, 0, 0);
        DataPlaneCounters after = rig.hub.counters();
        assertThat(after.inbound()).isEqualTo(before.inbound() + 1);
        assertThat(after.delivered() + after.inboundDropped()).isEqualTo(after.inbound());
        if (r instanceof InboundResult.Deliver d) {
            InnerFlow f = d.flow();
            assertThat(rig.hubSide.remote().matchesPacket(f.source(), f.protocol(), f.sourcePort())).isTrue();
            assertThat(rig.hubSide.local().matchesPacket(f.destination(), f.protocol(), f.destinationPort()))
                    .isTrue();
            assertThat(d.length()).isLessThanOrEqualTo(esp.length);
            RIGS[which] = null; // the replay window moved: start the next input from a fresh SA
        }
    }

    private static byte[] withSpi(Rig rig, byte[] rest) {
        byte[] esp = new byte[4 + rest.length];
        int spi = rig.hubSide.inboundSpi();
        esp[0] = (byte) (spi >>> 24);
        esp[1] = (byte) (spi >>> 16);
        esp[2] = (byte) (spi >>> 8);
        esp[3] = (byte) spi;
        System.arraycopy(rest, 0, esp, 4, rest.length);
        return esp;
    }

    private static byte[] sealed(Rig rig, byte[] inner, int nextHeader) {
        byte[] out = new byte[inner.length + 128];
        int n = rig.peer.seal(inner, 0, inner.length, out, 0, nextHeader);
        if (n < 0) {
            return withSpi(rig, inner);
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * Writes the seed corpus: per transform, a real sealed ping (raw and XOR shapes), the ping itself as an inner
     * packet to seal, and a UDP packet. Run from the repository root: {@code java -cp ... EspOpenFuzzTest}.
     */
    public static void main(String[] args) throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Path.of(
                "src/test/resources/dev/vpnrouter/dataplane/EspOpenFuzzTestInputs/open");
        java.nio.file.Files.createDirectories(dir);
        int n = TRANSFORMS.size();
        for (int which = 0; which < n; which++) {
            Rig rig = new Rig(TRANSFORMS.get(which));
            byte[] ping = DataPlaneTest.ping(SPOKE_HOST, HUB_HOST, 7, 32);
            byte[] sealed = sealed(rig, ping, 4);
            write(dir, "raw-" + which, which, Arrays.copyOfRange(sealed, 4, sealed.length));
            write(dir, "inner-" + which, which + n, ping);
            byte[] withNext = new byte[ping.length + 1];
            withNext[0] = 4;
            System.arraycopy(ping, 0, withNext, 1, ping.length);
            write(dir, "next-header-" + which, which + 2 * n, withNext);
            write(dir, "xor-" + which, which + 3 * n, new byte[8]);
        }
    }

    private static void write(java.nio.file.Path dir, String name, int selector, byte[] rest)
            throws java.io.IOException {
        byte[] seed = new byte[1 + rest.length];
        seed[0] = (byte) selector;
        System.arraycopy(rest, 0, seed, 1, rest.length);
        java.nio.file.Files.write(dir.resolve(name), seed);
    }
}
