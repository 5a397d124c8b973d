package dev.vpnrouter.net;

import dev.vpnrouter.common.Hex;
import dev.vpnrouter.common.Ipv4;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The rtnetlink messages byte for byte against layouts written out by hand from the kernel headers (nlmsghdr 16
 * bytes, rtmsg/fib_rule_hdr 12, attributes padded to 4; host order is little-endian on the machines we support),
 * and answers the kernel could send, malformed ones included. No root, no kernel, except the last test, which only
 * reads (any user may).
 */
class RtMessagesTest {
    private static final int NET = Ipv4.parse("10.1.0.0");

    @BeforeAll
    static void littleEndian() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "expected bytes are written little-endian");
    }

    private static byte[] hex(String spaced) {
        return Hex.decode(spaced.replaceAll("\\s+", ""));
    }

    private static byte[] written(int len, MemorySegment b) {
        return b.asSlice(0, len).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    @Test
    void routeAddIsCreateExclusiveWithTheTableInAnAttributeAndLinkScope() {
        MemorySegment b = MemorySegment.ofArray(new byte[256]);
        int len = RtMessages.route(b, 0, true, 1, RtNetlink.Route.dev(NET, 16, 7, 4500));
        assertThat(written(len, b)).isEqualTo(hex("""
                34000000 1800 0506 01000000 00000000
                02 10 00 00 00 04 fd 01 00000000
                0800 0f00 94110000
                0800 0100 0a010000
                0800 0400 07000000
                """)); // len 52, RTM_NEWROUTE, REQUEST|ACK|EXCL|CREATE; AF_INET /16 table UNSPEC static link unicast
    }

    @Test
    void routeAddToASmallTableUsesRtmTableAndCarriesThePreferredSource() {
        MemorySegment b = MemorySegment.ofArray(new byte[256]);
        int len = RtMessages.route(b, 0, true, 0x01020304, new RtNetlink.Route(NET, 16, 7, 100,
                Ipv4.parse("10.2.2.2")));
        assertThat(written(len, b)).isEqualTo(hex("""
                34000000 1800 0506 04030201 00000000
                02 10 00 00 64 04 fd 01 00000000
                0800 0100 0a010000
                0800 0700 0a020202
                0800 0400 07000000
                """));
    }

    @Test
    void routeDeleteLeavesProtocolAndScopeOpenAndAsksNoCreate() {
        MemorySegment b = MemorySegment.ofArray(new byte[256]);
        int len = RtMessages.route(b, 0, false, 2, RtNetlink.Route.dev(NET, 16, 7, 4500));
        assertThat(written(len, b)).isEqualTo(hex("""
                34000000 1900 0500 02000000 00000000
                02 10 00 00 00 00 ff 01 00000000
                0800 0f00 94110000
                0800 0100 0a010000
                0800 0400 07000000
                """));
    }

    @Test
    void batchedRequestsFollowEachOtherWithTheirOwnSequenceNumbers() {
        MemorySegment b = MemorySegment.ofArray(new byte[256]);
        int len = RtMessages.route(b, 0, true, 10, RtNetlink.Route.dev(NET, 16, 7, 4500));
        len += RtMessages.route(b, len, false, 11, RtNetlink.Route.dev(Ipv4.parse("10.9.0.0"), 24, 7, 4500));
        assertThat(len).isEqualTo(104);
        assertThat(RtMessages.seq(b, 0)).isEqualTo(10);
        assertThat(RtMessages.seq(b, 52)).isEqualTo(11);
        assertThat(RtMessages.type(b, 52)).isEqualTo(RtMessages.RTM_DELROUTE);
        assertThat(written(104, b)).endsWith(hex("0800 0100 0a090000 0800 0400 07000000"));
    }

    @Test
    void ruleRequests() {
        MemorySegment b = MemorySegment.ofArray(new byte[256]);
        int len = RtMessages.rule(b, 0, true, 3, 4500, 4500);
        assertThat(written(len, b)).isEqualTo(hex("""
                2c000000 2000 0506 03000000 00000000
                02 00 00 00 00 00 00 01 00000000
                0800 0600 94110000
                0800 0f00 94110000
                """)); // ip rule add pref 4500 lookup 4500: FR_ACT_TO_TBL, FRA_PRIORITY, FRA_TABLE
        len = RtMessages.rule(b, 0, false, 4, 4500, 0);
        assertThat(written(len, b)).isEqualTo(hex("""
                24000000 2100 0500 04000000 00000000
                02 00 00 00 00 00 00 00 00000000
                0800 0600 94110000
                """)); // ip rule del pref 4500
        len = RtMessages.rule(b, 0, true, 5, 4499, 254, new RtNetlink.LocalTraffic(17, 4500));
        assertThat(written(len, b)).isEqualTo(hex("""
                3c000000 2000 0506 05000000 00000000
                02 00 00 00 fe 00 00 01 00000000
                0800 0600 93110000
                0700 0300 6c6f0000
                0500 1600 11000000
                0800 1700 9411 9411
                """)); // ip rule add pref 4499 iif lo ipproto udp sport 4500 lookup main
    }

    @Test
    void linkLookupByNameAndDumpRequests() {
        MemorySegment b = MemorySegment.ofArray(new byte[256]);
        b.fill((byte) 0x5a); // padding must be written, not left over
        int len = RtMessages.getLink(b, 0, 5, "vpnr0");
        assertThat(written(len, b)).isEqualTo(hex("""
                2c000000 1200 0100 05000000 00000000
                00 00 0000 00000000 00000000 00000000
                0a00 0300 76706e7230 00 0000
                """));
        len = RtMessages.dump(b, 0, RtMessages.RTM_GETROUTE, 6);
        assertThat(written(len, b)).isEqualTo(hex("""
                1c000000 1a00 0103 06000000 00000000
                02 00 00 00 00 00 00 00 00000000
                """));
        assertThatThrownBy(() -> RtMessages.getLink(b, 0, 7, "a-name-far-too-long"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAckIsErrorZeroAndARefusalCarriesErrnoAndTheKernelsText() throws IOException {
        MemorySegment ack = MemorySegment.ofArray(hex("""
                24000000 0200 0001 09000000 d2040000
                00000000
                34000000 1800 0506 09000000 00000000
                """)); // CAPPED: only the request's header is echoed
        assertThat(RtMessages.messageLength(ack, 0, 36)).isEqualTo(36);
        assertThat(RtMessages.errorCode(ack, 0, 36)).isZero();
        assertThat(RtMessages.errorText(ack, 0, 36)).isNull();

        MemorySegment refusal = MemorySegment.ofArray(hex("""
                44000000 0200 0003 09000000 d2040000
                efffffff
                34000000 1800 0506 09000000 00000000
                1d00 0100 4e657874686f7020646576696365206973206e6f7420757000 000000
                """)); // CAPPED|ACK_TLVS: -EEXIST, then NLMSGERR_ATTR_MSG "Nexthop device is not up"
        int len = RtMessages.messageLength(refusal, 0, 68);
        assertThat(RtMessages.errorCode(refusal, 0, len)).isEqualTo(-Libc.EEXIST);
        assertThat(RtMessages.errorText(refusal, 0, len)).isEqualTo("Nexthop device is not up");
        NetlinkException e = new NetlinkException("route add 10.1.0.0/16 dev vpnr0 table 4500", Libc.EEXIST, null);
        assertThat(e.getMessage()).isEqualTo("route add 10.1.0.0/16 dev vpnr0 table 4500: RTNETLINK answers: File exists");
        assertThat(e.errno()).isEqualTo(Libc.EEXIST);
    }

    @Test
    void anUncappedRefusalEchoesTheWholeRequestBeforeItsText() throws IOException {
        MemorySegment b = MemorySegment.ofArray(new byte[256]);
        int request = RtMessages.route(b, 20, true, 9, RtNetlink.Route.dev(NET, 16, 7, 4500)); // the echo
        int textAt = 20 + request;
        b.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, textAt, (short) 7);
        b.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, textAt + 2, (short) 1);
        b.asSlice(textAt + 4, 4).copyFrom(MemorySegment.ofArray(new byte[] {'b', 'a', 'd', 0}));
        int len = textAt + 8;
        MemorySegment header = MemorySegment.ofArray(hex("00000000 0200 0002 09000000 00000000 eaffffff"));
        MemorySegment.copy(header, 0, b, 0, 20);
        b.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 0, len);
        assertThat(RtMessages.errorCode(b, 0, len)).isEqualTo(-Libc.EINVAL);
        assertThat(RtMessages.errorText(b, 0, len)).isEqualTo("bad");
    }

    @Test
    void aDumpedRouteDecodes() throws IOException {
        MemorySegment m = MemorySegment.ofArray(hex("""
                4c000000 1800 0200 05000000 d2040000
                02 10 00 00 fc 04 fd 01 00000000
                0800 0f00 94110000
                0800 0100 0a010000
                0800 0400 07000000
                0800 0600 14000000
                0800 0700 0a020202
                0500 1000 01 000000
                """)); // table 252 (compat) overridden by RTA_TABLE; an attribute we do not know is skipped
        RtNetlink.RouteEntry e = RtMessages.routeEntry(m, 0, RtMessages.messageLength(m, 0, 76));
        assertThat(e).isEqualTo(new RtNetlink.RouteEntry(NET, 16, 4500, 7, 0, Ipv4.parse("10.2.2.2"), 0,
                RtMessages.RTN_UNICAST, RtMessages.RTPROT_STATIC, RtMessages.RT_SCOPE_LINK, 20));
        MemorySegment rule = MemorySegment.ofArray(hex("""
                2c000000 2000 0200 05000000 d2040000
                02 00 00 00 fc 00 00 01 00000000
                0800 0600 94110000
                0800 0f00 94110000
                """));
        assertThat(RtMessages.rule(rule, 0, 44)).isEqualTo(new RtNetlink.Rule(4500, 4500, 1));
    }

    @Test
    void malformedAnswersAreIoExceptionsThatSayWhatIsWrong() {
        MemorySegment longer = MemorySegment.ofArray(hex("64000000 0200 0000 01000000 00000000 00000000"));
        assertThatThrownBy(() -> RtMessages.messageLength(longer, 0, 20)).isInstanceOf(IOException.class)
                .hasMessage("malformed rtnetlink answer: message length 100 at offset 0 with 20 bytes left");
        MemorySegment shortHeader = MemorySegment.ofArray(hex("0c000000 0200 0000 01000000"));
        assertThatThrownBy(() -> RtMessages.messageLength(shortHeader, 0, 12)).isInstanceOf(IOException.class)
                .hasMessageContaining("header cut off: 12 bytes");
        MemorySegment tiny = MemorySegment.ofArray(hex("08000000 0200 0000 01000000 00000000"));
        assertThatThrownBy(() -> RtMessages.messageLength(tiny, 0, 16)).isInstanceOf(IOException.class)
                .hasMessageContaining("message length 8");
        MemorySegment noCode = MemorySegment.ofArray(hex("10000000 0200 0000 01000000 00000000"));
        assertThatThrownBy(() -> RtMessages.errorCode(noCode, 0, 16)).isInstanceOf(IOException.class)
                .hasMessageContaining("NLMSG_ERROR of 16 bytes has no error code");
        MemorySegment positive = MemorySegment.ofArray(hex("14000000 0200 0000 01000000 00000000 11000000"));
        assertThatThrownBy(() -> RtMessages.errorCode(positive, 0, 20)).isInstanceOf(IOException.class)
                .hasMessageContaining("error code 17 is no negative errno");
        MemorySegment badEcho = MemorySegment.ofArray(hex("""
                28000000 0200 0002 01000000 00000000 efffffff
                ff000000 1800 0506 01000000 00000000 00000000
                """)); // ACK_TLVS, uncapped, but the echoed request claims 255 bytes
        assertThatThrownBy(() -> RtMessages.errorText(badEcho, 0, 40)).isInstanceOf(IOException.class)
                .hasMessageContaining("message length 255 at offset 20");
        MemorySegment overlong = MemorySegment.ofArray(hex("""
                24000000 1800 0200 05000000 00000000
                02 10 00 00 fe 04 fd 01 00000000
                c800 0100 0a010000
                """));
        assertThatThrownBy(() -> RtMessages.routeEntry(overlong, 0, 36)).isInstanceOf(IOException.class)
                .hasMessage("malformed rtnetlink answer: attribute length 200 at offset 28 with 8 bytes left in "
                        + "its message");
        MemorySegment shortDst = MemorySegment.ofArray(hex("""
                24000000 1800 0200 05000000 00000000
                02 10 00 00 fe 04 fd 01 00000000
                0600 0100 0a01 0000
                """));
        assertThatThrownBy(() -> RtMessages.routeEntry(shortDst, 0, 36)).isInstanceOf(IOException.class)
                .hasMessageContaining("RTA_DST of 2 bytes is no IPv4 address");
        MemorySegment badPrefix = MemorySegment.ofArray(hex("""
                1c000000 1800 0200 05000000 00000000
                02 30 00 00 fe 04 fd 01 00000000
                """));
        assertThatThrownBy(() -> RtMessages.routeEntry(badPrefix, 0, 28)).isInstanceOf(IOException.class)
                .hasMessageContaining("prefix length 48");
        MemorySegment noRtmsg = MemorySegment.ofArray(hex("14000000 1800 0200 05000000 00000000 02100000"));
        assertThatThrownBy(() -> RtMessages.routeEntry(noRtmsg, 0, 20)).isInstanceOf(IOException.class)
                .hasMessageContaining("has no rtmsg");
        MemorySegment noIndex = MemorySegment.ofArray(hex("""
                20000000 1000 0000 05000000 00000000
                00 00 0000 00000000 00000000 00000000
                """));
        assertThatThrownBy(() -> RtMessages.linkIndex(noIndex, 0, 32)).isInstanceOf(IOException.class)
                .hasMessageContaining("interface index 0");
    }

    /** Reading needs no privilege: loopback is index 1 in every namespace, and the main table's rule is there. */
    @Test
    void theKernelAnswersReadsWithoutRoot() throws IOException {
        try (RtNetlink netlink = RtNetlink.open()) {
            assertThat(netlink.linkIndex("lo")).isEqualTo(1);
            assertThatThrownBy(() -> netlink.linkIndex("vrnosuch0")).isInstanceOfSatisfying(NetlinkException.class,
                    e -> {
                        assertThat(e.errno()).isEqualTo(Libc.ENODEV);
                        assertThat(e.getMessage()).isEqualTo("link show vrnosuch0: RTNETLINK answers: No such device");
                    });
            assertThat(netlink.rules()).contains(new RtNetlink.Rule(32766, 254, 1)); // from all lookup main
            assertThat(netlink.routes(255)).anySatisfy(r -> assertThat(r.network()).isEqualTo(Ipv4.parse("127.0.0.1")));
        }
    }
}
