package dev.vpnrouter.esp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpnrouter.common.Hex;
import dev.vpnrouter.interop.Interop;
import dev.vpnrouter.interop.Prerequisites;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cross-check with an independent implementation: Wireshark's ESP dissector decrypts and
 * authenticates a capture of packets we sealed, given the keys through its ESP SA table.
 * tshark is a CI requirement (.ci/run installs it): without it this test fails, it never skips. It needs no root,
 * but it needs a peer program, so it runs with the interop tests.
 */
@Interop
class TsharkCrossCheckTest {
    private static final int SPI = 0xB0C0F4AC;
    private static final String SRC = "192.0.2.1";
    private static final String DST = "192.0.2.2";

    @TempDir
    Path dir;

    static Stream<EspTransform> transforms() {
        return Stream.of(
                EspTransform.of(EspCipher.DES3_CBC, 192, EspIntegrity.HMAC_SHA1_96),
                EspTransform.of(EspCipher.AES_CBC, 128, EspIntegrity.HMAC_SHA1_96),
                EspTransform.of(EspCipher.AES_CBC, 192, EspIntegrity.HMAC_MD5_96),
                EspTransform.of(EspCipher.AES_CBC, 256, EspIntegrity.HMAC_SHA256_128),
                EspTransform.of(EspCipher.AES_CBC, 256, EspIntegrity.HMAC_SHA384_192),
                EspTransform.of(EspCipher.AES_CBC, 128, EspIntegrity.HMAC_SHA512_256),
                EspTransform.of(EspCipher.NULL, 0, EspIntegrity.HMAC_SHA1_96),
                EspTransform.gcm(EspCipher.AES_GCM_16, 128),
                EspTransform.gcm(EspCipher.AES_GCM_16, 256),
                EspTransform.gcm(EspCipher.AES_GCM_12, 128),
                EspTransform.gcm(EspCipher.AES_GCM_8, 128));
    }

    @ParameterizedTest
    @MethodSource("transforms")
    void tsharkDecryptsAndAuthenticatesWhatWeSeal(EspTransform t) throws Exception {
        Prerequisites.requireInstalled("tshark");
        byte[] keymat = EspFixtures.keymat(t, 4303);
        EspOutboundSa out = EspOutboundSa.builder(SPI, t, keymat).build();
        List<byte[]> frames = new ArrayList<>();
        int[] sizes = {0, 1, 15, 56, 1000};
        for (int i = 0; i < sizes.length; i++) {
            byte[] inner = icmpEcho("10.1.0.5", "10.2.0.7", i + 1, sizes[i]);
            byte[] esp = ((EspSealResult.Sealed) out.seal(inner)).packet();
            frames.add(ipv4(SRC, DST, 50, esp));
        }
        // The last frame again with its final ICV byte changed, as a negative control.
        byte[] tampered = frames.get(frames.size() - 1).clone();
        tampered[tampered.length - 1] ^= 1;
        frames.add(tampered);
        Path pcap = dir.resolve("esp.pcap");
        Files.write(pcap, pcap(frames));

        String sa = String.join(",", quote("IPv4"), quote(SRC), quote(DST), quote(String.format("0x%08x", SPI)),
                quote(t.cipher().wiresharkName()), quote(hexKey(t.cipher() == EspCipher.NULL ? new byte[0]
                        : concat(t.encryptionKey(keymat), t.salt(keymat)))),
                quote(t.integrity().wiresharkName()), quote(hexKey(t.integrityKey(keymat))));
        List<String> lines = tshark(pcap, sa);
        assertThat(lines).as("one line per packet").hasSize(sizes.length + 1);
        for (int i = 0; i < sizes.length; i++) {
            String[] f = lines.get(i).split("\t", -1);
            // esp.seq, inner ip.src/ip.dst (second occurrence), icmp.seq, data length, esp.pad_len,
            // esp.protocol, and the authentication verdict
            assertThat(f[0]).as("sequence").isEqualTo(String.valueOf(i + 1));
            assertThat(f[1]).as("ip.src outer,inner").isEqualTo(SRC + ",10.1.0.5");
            assertThat(f[2]).as("ip.dst outer,inner").isEqualTo(DST + ",10.2.0.7");
            assertThat(f[3]).as("icmp.seq").isEqualTo(String.valueOf(i + 1));
            assertThat(f[4]).as("esp.protocol (next header)").isEqualTo("0x04");
            if (t.icvLength() > 0 && !t.cipher().isAead()) {
                assertThat(f[5]).as("esp ICV check").isEqualTo("1");
            }
            assertThat(f[6]).as("icmp checksum status (1 = good)").isEqualTo("1");
        }
        if (t.icvLength() > 0 && !t.cipher().isAead()) {
            // Negative control: tshark really checks our ICVs.
            String[] f = lines.get(lines.size() - 1).split("\t", -1);
            assertThat(f[5]).as("esp ICV check of the tampered copy").isNotEqualTo("1");
            assertThat(f[7]).as("esp ICV bad flag of the tampered copy").isEqualTo("1");
        }
    }

    private List<String> tshark(Path pcap, String sa) throws IOException, InterruptedException {
        List<String> cmd = List.of(Prerequisites.resolve("tshark"), "-r", pcap.toString(), "-n",
                "-o", "esp.enable_encryption_decode:TRUE",
                "-o", "esp.enable_authentication_check:TRUE",
                "-o", "uat:esp_sa:" + sa,
                "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,",
                "-e", "esp.sequence", "-e", "ip.src", "-e", "ip.dst", "-e", "icmp.seq",
                "-e", "esp.protocol", "-e", "esp.icv_good", "-e", "icmp.checksum.status", "-e", "esp.icv_bad");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        byte[] stdout = p.getInputStream().readAllBytes();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("tshark failed: %s", stderr).isZero();
        String text = new String(stdout, StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    private static String hexKey(byte[] key) {
        return "0x" + Hex.of(key);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return EspKnownAnswerTest.concat(a, b);
    }

    /** A classic pcap with LINKTYPE_RAW (101): every frame is a bare IPv4 packet. */
    static byte[] pcap(List<byte[]> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(101);
        out.writeBytes(header.array());
        int second = 1_700_000_000;
        for (byte[] frame : frames) {
            ByteBuffer rec = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            rec.putInt(second++).putInt(0).putInt(frame.length).putInt(frame.length);
            out.writeBytes(rec.array());
            out.writeBytes(frame);
        }
        return out.toByteArray();
    }

    static byte[] ipv4(String src, String dst, int protocol, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload.length)).putShort((short) 0x1234)
                .putShort((short) 0).put((byte) 64).put((byte) protocol).putShort((short) 0)
                .putInt(dev.vpnrouter.common.Ipv4.parse(src)).putInt(dev.vpnrouter.common.Ipv4.parse(dst));
        byte[] packet = b.array();
        int sum = checksum(packet, 0, 20);
        packet[10] = (byte) (sum >>> 8);
        packet[11] = (byte) sum;
        System.arraycopy(payload, 0, packet, 20, payload.length);
        return packet;
    }

    static byte[] icmpEcho(String src, String dst, int seq, int dataLength) {
        byte[] icmp = new byte[8 + dataLength];
        icmp[0] = 8;
        icmp[4] = 0x12;
        icmp[5] = 0x34;
        icmp[6] = (byte) (seq >>> 8);
        icmp[7] = (byte) seq;
        for (int i = 0; i < dataLength; i++) {
            icmp[8 + i] = (byte) i;
        }
        int sum = checksum(icmp, 0, icmp.length);
        icmp[2] = (byte) (sum >>> 8);
        icmp[3] = (byte) sum;
        return ipv4(src, dst, 1, icmp);
    }

    static int checksum(byte[] b, int off, int len) {
        int sum = 0;
        for (int i = 0; i < len; i += 2) {
            int hi = b[off + i] & 0xFF;
            int lo = i + 1 < len ? b[off + i + 1] & 0xFF : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return ~sum & 0xFFFF;
    }
}
