package dev.vpnrouter.common;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Ipv4PacketTest {
    @Test
    void echoRequestAndReply() {
        int a = Ipv4.parse("10.2.2.10");
        int b = Ipv4.parse("10.1.1.10");
        byte[] req = Ipv4Packet.icmpEcho(a, b, true, 0x1234, 7, "abcdefgh".getBytes());
        assertThat(Ipv4Packet.isValid(req, 0, req.length)).isTrue();
        assertThat(Ipv4Packet.checksum(req, 0, 20)).isZero();
        assertThat(Ipv4Packet.isEchoRequest(req, 0, req.length)).isTrue();
        byte[] reply = Ipv4Packet.echoReplyTo(req, 0, req.length);
        assertThat(Ipv4Packet.isEchoReply(reply, 0, reply.length)).isTrue();
        assertThat(Ipv4Packet.source(reply, 0)).isEqualTo(b);
        assertThat(Ipv4Packet.destination(reply, 0)).isEqualTo(a);
        assertThat(Ipv4Packet.icmpSequence(reply, 0)).isEqualTo(7);
        req[25] ^= 1;
        assertThat(Ipv4Packet.isEchoRequest(req, 0, req.length)).isFalse();
    }

    @Test
    void rejectsTruncatedOrNonIpv4() {
        byte[] p = Ipv4Packet.build(1, 2, Ipv4Packet.UDP, 1, new byte[] {0, 53, 0, 54, 0, 8, 0, 0});
        assertThat(Ipv4Packet.isValid(p, 0, p.length - 1)).isFalse();
        assertThat(Ipv4Packet.sourcePort(p, 0, p.length)).isEqualTo(53);
        assertThat(Ipv4Packet.destinationPort(p, 0, p.length)).isEqualTo(54);
        p[0] = 0x60;
        assertThat(Ipv4Packet.isValid(p, 0, p.length)).isFalse();
    }
}
