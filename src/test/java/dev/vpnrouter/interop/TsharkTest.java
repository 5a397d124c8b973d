package dev.vpnrouter.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The malformed-ISAKMP check must be able to fail: hand it a pcap with a broken ISAKMP payload. */
@Interop
class TsharkTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void flagsATruncatedIsakmpPayloadAndPassesAGoodOne() throws Exception {
        Prerequisites.require("tshark");
        Path bad = dir.resolve("bad.pcap");
        Path good = dir.resolve("good.pcap");
        // A Main Mode first message whose SA payload claims 200 bytes but carries 8.
        Files.write(bad, pcap(udp(500, 500, isakmp(1, 200, 8))));
        // The same header with a consistent, empty-ish Vendor ID payload (next payload 13, 8+4 bytes).
        Files.write(good, pcap(udp(500, 500, isakmp(13, 12, 8))));

        List<String> problems = Tshark.isakmpProblems(bad);
        assertThat(problems).as("a broken payload length must be reported").isNotEmpty();
        assertThat(Tshark.count(good, "isakmp")).isEqualTo(1);
        assertThat(Tshark.isakmpProblems(good)).isEmpty();
    }

    @Test
    @Timeout(60)
    void seedVectorCaptureDecodesCleanly() throws Exception {
        Prerequisites.require("tshark");
        Path vector = Path.of("src/test/resources/vectors/strongswan-hub-seed/seed-exchanges.pcap");
        assertThat(Tshark.count(vector, "isakmp")).isGreaterThan(20);
        assertThat(Tshark.isakmpProblems(vector)).isEmpty();
    }

    @Test
    @Timeout(60)
    void decryptsIkev1WithALoggedKey() throws Exception {
        Prerequisites.require("tshark");
        Path vector = Path.of("src/test/resources/vectors/strongswan-hub-seed/seed-exchanges.pcap");
        // The VPN client's IKE SA: initiator cookie from the pcap, Ka from hub-charon-ike4.log (<ra|4>).
        List<String> cookies = Tshark.fields(vector, "isakmp.exchangetype == 4", List.of(), "isakmp.ispi");
        String cookie = cookies.getFirst().split("\t")[1];
        String option = Tshark.ikev1Decryption(cookie, "823bcf26519b5bf94032087d35270f1e93cad414b7a6e8a5");
        assertThat(Tshark.count(vector, "isakmp.cfg.type")).as("encrypted without the key").isZero();
        assertThat(Tshark.count(vector, "isakmp.cfg.type", "-o", option)).as("Xauth/Mode Config decrypted")
                .isGreaterThanOrEqualTo(4);
    }

    /** ISAKMP header (28 bytes) + one payload of {@code bodyLength} bytes whose header claims {@code claimed}. */
    private static byte[] isakmp(int firstPayload, int claimed, int bodyLength) {
        int payloadTotal = 4 + bodyLength;
        ByteBuffer b = ByteBuffer.allocate(28 + payloadTotal);
        b.putLong(0x1122334455667788L).putLong(0); // cookies
        b.put((byte) firstPayload).put((byte) 0x10).put((byte) 2).put((byte) 0); // MM, v1.0, no flags
        b.putInt(0).putInt(28 + payloadTotal);
        b.put((byte) 0).put((byte) 0).putShort((short) claimed);
        b.put(new byte[bodyLength]);
        return b.array();
    }

    private static byte[] udp(int sport, int dport, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(28 + payload.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (28 + payload.length));
        b.putShort((short) 1).putShort((short) 0).put((byte) 64).put((byte) 17).putShort((short) 0);
        b.put(new byte[] {(byte) 198, 51, 100, 100}).put(new byte[] {(byte) 203, 0, 113, 2});
        byte[] header = b.array();
        int sum = Packets.checksum(header, 0, 20);
        b.putShort(10, (short) sum);
        b.position(20);
        b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload.length)).putShort((short) 0);
        b.put(payload);
        return b.array();
    }

    /** A classic pcap with LINKTYPE_RAW (101): the record is the IPv4 packet itself. */
    private static byte[] pcap(byte[] packet) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(101);
        out.writeBytes(h.array());
        ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        r.putInt(1_700_000_000).putInt(0).putInt(packet.length).putInt(packet.length);
        out.writeBytes(r.array());
        out.writeBytes(packet);
        return out.toByteArray();
    }
}
