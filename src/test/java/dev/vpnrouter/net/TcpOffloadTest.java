package dev.vpnrouter.net;

import dev.vpnrouter.common.Ipv4Packet;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TcpOffloadTest {
    private static final int HEADERS = 20 + 32; // TCP with 12 bytes of options (timestamps)

    /** A TCP/IPv4 packet 10.2.0.5:40000 -> 10.1.0.5:5201 with valid checksums. */
    static byte[] tcp(int seq, int flags, byte[] payload, int id) {
        byte[] p = new byte[HEADERS + payload.length];
        p[0] = 0x45;
        TcpOffload.putBe16(p, 2, p.length);
        TcpOffload.putBe16(p, 4, id);
        p[6] = 0x40; // DF
        p[8] = 64;
        p[9] = 6;
        byte[] src = {10, 2, 0, 5};
        byte[] dst = {10, 1, 0, 5};
        System.arraycopy(src, 0, p, 12, 4);
        System.arraycopy(dst, 0, p, 16, 4);
        TcpOffload.putBe16(p, 20, 40000);
        TcpOffload.putBe16(p, 22, 5201);
        writeInt(p, 24, seq);
        writeInt(p, 28, 777);
        p[32] = (byte) (8 << 4);
        p[33] = (byte) flags;
        TcpOffload.putBe16(p, 34, 502);
        p[40] = 1;
        p[41] = 1;
        p[42] = 8;
        p[43] = 10;
        writeInt(p, 44, 123456);
        writeInt(p, 48, 654321);
        System.arraycopy(payload, 0, p, HEADERS, payload.length);
        TcpOffload.ipChecksum(p, 0);
        int tcpLength = p.length - 20;
        int s = TcpOffload.sum(p, 20, tcpLength, TcpOffload.pseudoHeader(p, 0, 6, tcpLength));
        TcpOffload.putBe16(p, 36, ~s & 0xffff);
        return p;
    }

    static void writeInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static int readInt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    static boolean checksumsValid(byte[] p, int off, int len) {
        if (Ipv4Packet.checksum(p, off, 20) != 0) {
            return false;
        }
        int tcpLength = len - 20;
        return TcpOffload.sum(p, off + 20, tcpLength, TcpOffload.pseudoHeader(p, off, 6, tcpLength)) == 0xffff;
    }

    @Test
    void theChecksumSumMatchesTheRfc1071ReferenceOnRandomData() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 500; i++) {
            byte[] b = new byte[1 + random.nextInt(1600)];
            random.nextBytes(b);
            int off = random.nextInt(b.length);
            int len = b.length - off;
            int reference = ~Ipv4Packet.checksum(b, off, len) & 0xffff;
            int ours = TcpOffload.sum(b, off, len, 0);
            // 0 and 0xffff are the same number in ones' complement.
            assertThat(ours % 0xffff).as("length " + len).isEqualTo(reference % 0xffff);
        }
    }

    @Test
    void aTsoSuperPacketSplitsIntoValidSegmentsThatCarryEveryByteOnce() {
        SplittableRandom random = new SplittableRandom(11);
        byte[] payload = new byte[10_000];
        random.nextBytes(payload);
        byte[] big = tcp(1000, 0x18, payload, 42); // ACK | PSH
        int mss = 1344;
        TcpOffload.Segmenter s = new TcpOffload.Segmenter();
        assertThat(s.reset(big, 0, big.length, mss)).isTrue();
        byte[] out = new byte[2000];
        byte[] joined = new byte[payload.length];
        int at = 0;
        int count = 0;
        int n;
        while ((n = s.next(out, 0)) > 0) {
            assertThat(checksumsValid(out, 0, n)).as("segment " + count).isTrue();
            assertThat(TcpOffload.be16(out, 2)).isEqualTo(n);
            assertThat(TcpOffload.be16(out, 4)).isEqualTo(42 + count);
            assertThat(readInt(out, 24)).isEqualTo(1000 + at);
            int flags = out[33] & 0xff;
            int body = n - HEADERS;
            boolean last = at + body == payload.length;
            assertThat(flags).isEqualTo(last ? 0x18 : 0x10);
            assertThat(body).isEqualTo(last ? payload.length - mss * count : mss);
            System.arraycopy(out, HEADERS, joined, at, body);
            at += body;
            count++;
        }
        assertThat(count).isEqualTo((payload.length + mss - 1) / mss);
        assertThat(joined).isEqualTo(payload);
    }

    @Test
    void aPartialChecksumIsCompleted() {
        byte[] p = tcp(5, 0x10, new byte[]{1, 2, 3, 4, 5}, 1);
        byte[] broken = p.clone();
        int tcpLength = p.length - 20;
        TcpOffload.putBe16(broken, 36, TcpOffload.fold(TcpOffload.pseudoHeader(broken, 0, 6, tcpLength)));
        assertThat(TcpOffload.completeChecksum(broken, 0, broken.length, 20, 16)).isTrue();
        assertThat(broken).isEqualTo(p);
        assertThat(TcpOffload.completeChecksum(broken, 0, broken.length, broken.length, 16)).isFalse();
    }

    @Test
    void consecutiveSegmentsCoalesceIntoOneGsoPacketThatSplitsBackIntoTheSameSegments() {
        SplittableRandom random = new SplittableRandom(3);
        int mss = 1344;
        List<byte[]> segments = new ArrayList<>();
        int seq = 99;
        for (int i = 0; i < 5; i++) {
            byte[] payload = new byte[i == 4 ? 300 : mss];
            random.nextBytes(payload);
            segments.add(tcp(seq, i == 4 ? 0x18 : 0x10, payload, 7 + i));
            seq += payload.length;
        }
        TcpOffload.Coalescer c = new TcpOffload.Coalescer();
        assertThat(c.start(segments.get(0), 0, segments.get(0).length)).isTrue();
        for (int i = 1; i < segments.size(); i++) {
            assertThat(c.append(segments.get(i), 0, segments.get(i).length)).as("segment " + i).isTrue();
        }
        assertThat(c.segments()).isEqualTo(5);
        // PSH closed it: nothing more joins.
        byte[] after = tcp(seq, 0x10, new byte[mss], 12);
        assertThat(c.append(after, 0, after.length)).isFalse();
        int n = c.finish();
        byte[] b = c.buffer();
        int h = TcpOffload.VNET_HDR_LEN;
        assertThat(TcpOffload.flags(b, 0)).isEqualTo(TcpOffload.F_NEEDS_CSUM);
        assertThat(TcpOffload.gsoType(b, 0)).isEqualTo(TcpOffload.GSO_TCPV4);
        assertThat(TcpOffload.gsoSize(b, 0)).isEqualTo(mss);
        assertThat(TcpOffload.csumStart(b, 0)).isEqualTo(20);
        assertThat(TcpOffload.csumOffset(b, 0)).isEqualTo(16);
        assertThat(Ipv4Packet.checksum(b, h, 20)).isZero();
        // What the kernel does with it: segment, completing each checksum (our Segmenter recomputes them).
        byte[] gso = Arrays.copyOfRange(b, h, n);
        TcpOffload.Segmenter s = new TcpOffload.Segmenter();
        assertThat(s.reset(gso, 0, gso.length, mss)).isTrue();
        byte[] out = new byte[2000];
        for (byte[] expected : segments) {
            int m = s.next(out, 0);
            byte[] got = Arrays.copyOf(out, m);
            // IP identification follows the first segment's, as the kernel's would.
            assertThat(Arrays.copyOfRange(got, 20, m)).isEqualTo(Arrays.copyOfRange(expected, 20, expected.length));
            assertThat(checksumsValid(got, 0, m)).isTrue();
        }
        assertThat(s.next(out, 0)).isEqualTo(-1);
        assertThat(c.isEmpty()).isTrue();
    }

    @Test
    void segmentsOfAnotherFlowOrWithAGapOrOtherFlagsDoNotJoin() {
        int mss = 1000;
        byte[] first = tcp(0, 0x10, new byte[mss], 1);
        TcpOffload.Coalescer c = new TcpOffload.Coalescer();
        assertThat(c.start(first, 0, first.length)).isTrue();
        byte[] gap = tcp(mss + 1, 0x10, new byte[mss], 2);
        byte[] syn = tcp(mss, 0x12, new byte[mss], 2);
        byte[] bigger = tcp(mss, 0x10, new byte[mss + 1], 2);
        byte[] otherPort = tcp(mss, 0x10, new byte[mss], 2);
        TcpOffload.putBe16(otherPort, 20, 40001);
        byte[] otherTimestamp = tcp(mss, 0x10, new byte[mss], 2);
        otherTimestamp[47]++;
        byte[] bareAck = tcp(mss, 0x10, new byte[0], 2);
        for (byte[] p : List.of(gap, syn, bigger, otherPort, otherTimestamp, bareAck)) {
            assertThat(c.append(p, 0, p.length)).isFalse();
        }
        assertThat(c.start(bareAck, 0, bareAck.length)).as("nothing to coalesce without payload").isFalse();
        assertThat(c.segments()).isEqualTo(1);
        int n = c.finish();
        assertThat(TcpOffload.gsoType(c.buffer(), 0)).as("one segment goes out plain").isZero();
        assertThat(Arrays.copyOfRange(c.buffer(), TcpOffload.VNET_HDR_LEN, n)).isEqualTo(first);
    }
}
