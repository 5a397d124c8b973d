package dev.vpnrouter.ike.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vpnrouter.common.Hex;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every length and structure problem maps to one {@link IsakmpDecodeException} with the RFC 2408 notify. */
class MalformedTest {

    private static IsakmpDecodeException decodeFails(byte[] datagram) {
        return catchThrowableOfType(IsakmpDecodeException.class, () -> IsakmpCodec.decode(datagram));
    }

    private static IsakmpDecodeException chainFails(int firstType, byte[] bytes) {
        return catchThrowableOfType(IsakmpDecodeException.class,
                () -> IsakmpCodec.decodePayloads(firstType, bytes, true));
    }

    private static byte[] with(byte[] base, int offset, int... values) {
        byte[] b = base.clone();
        for (int i = 0; i < values.length; i++) {
            b[offset + i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] withU16(byte[] base, int offset, int value) {
        return with(base, offset, value >>> 8, value & 0xff);
    }

    private static byte[] message(Payload... payloads) {
        return IsakmpCodec.encode(IsakmpHeader.of(0x1122334455667788L, 0, ExchangeType.IDENTITY_PROTECTION, 0, 0),
                List.of(payloads));
    }

    private static byte[] chain(Payload... payloads) {
        return IsakmpCodec.encodePayloads(List.of(payloads));
    }

    @Nested
    class Header {
        private final byte[] valid = message(new NoncePayload(new byte[8]));

        @ParameterizedTest
        @ValueSource(ints = {0, 1, 27})
        void datagramShorterThanTheHeader(int length) {
            assertThat(decodeFails(Arrays.copyOf(valid, length)).notifyType()).isEqualTo(NotifyType.PAYLOAD_MALFORMED);
            assertThatThrownBy(() -> IsakmpCodec.decodeHeader(Arrays.copyOf(valid, length)))
                    .isInstanceOf(IsakmpDecodeException.class);
        }

        @ParameterizedTest
        @CsvSource({"0x20, 5", "0x00, 5", "0xf0, 5", "0x11, 6"})
        void version(String version, int notify) {
            assertThat(decodeFails(with(valid, 17, Integer.decode(version))).notifyType()).isEqualTo(notify);
        }

        @ParameterizedTest
        @ValueSource(ints = {0, 7, 31, 34, 35, 255})
        void unknownExchangeType(int exchange) {
            assertThat(decodeFails(with(valid, 18, exchange)).notifyType())
                    .isEqualTo(NotifyType.INVALID_EXCHANGE_TYPE);
        }

        @ParameterizedTest
        @ValueSource(ints = {0x08, 0x10, 0x20, 0x80, 0xff})
        void undefinedFlags(int flags) {
            assertThat(decodeFails(with(valid, 19, flags)).notifyType()).isEqualTo(NotifyType.INVALID_FLAGS);
        }

        @ParameterizedTest
        @ValueSource(ints = {0, 1, 27})
        void headerLengthBelowTheHeader(int length) {
            assertThat(decodeFails(with(valid, 24, 0, 0, 0, length)).notifyType())
                    .isEqualTo(NotifyType.PAYLOAD_MALFORMED);
        }

        @Test
        void headerLengthPastTheDatagram() {
            assertThat(decodeFails(Arrays.copyOf(valid, valid.length - 1)).notifyType())
                    .isEqualTo(NotifyType.UNEQUAL_PAYLOAD_LENGTHS);
            assertThat(decodeFails(with(valid, 24, 0xff, 0xff, 0xff, 0xff)).notifyType())
                    .isEqualTo(NotifyType.UNEQUAL_PAYLOAD_LENGTHS);
        }

        @Test
        void bytesAfterTheHeaderLengthAreIgnored() throws Exception {
            // old Cisco VPN clients append 16 zero bytes; libreswan accepts them too
            byte[] longer = Arrays.copyOf(valid, valid.length + 16);
            PlainMessage m = (PlainMessage) IsakmpCodec.decode(longer);
            assertThat(m.header().length()).isEqualTo(valid.length);
            assertThat(m.payloads().payloads()).containsExactly(new NoncePayload(new byte[8]));
        }

        @Test
        void headerDecodesWithOffset() throws Exception {
            byte[] framed = new byte[valid.length + 4]; // the non-ESP marker in front
            System.arraycopy(valid, 0, framed, 4, valid.length);
            assertThat(IsakmpCodec.decodeHeader(framed, 4, valid.length))
                    .isEqualTo(IsakmpCodec.decodeHeader(valid));
            assertThat(IsakmpCodec.decode(framed, 4, valid.length)).isEqualTo(IsakmpCodec.decode(valid));
        }

        @Test
        void theExceptionCarriesItsNotify() {
            IsakmpDecodeException e = decodeFails(with(valid, 19, 0x40));
            assertThat(e.notifyType()).isEqualTo(NotifyType.INVALID_FLAGS);
            assertThat(e).hasMessageContaining("0x40");
            assertThat(e.toString()).contains("INVALID_FLAGS");
        }
    }

    @Nested
    class Chain {
        private final byte[] nonceThenVid = chain(new NoncePayload(new byte[8]), new VendorIdPayload(new byte[4]));

        @Test
        void payloadPastTheEndOfTheMessage() {
            byte[] m = message(new NoncePayload(new byte[8]));
            assertThat(decodeFails(withU16(m, 30, 13)).notifyType()).isEqualTo(NotifyType.UNEQUAL_PAYLOAD_LENGTHS);
            assertThat(chainFails(PayloadType.NONCE, withU16(nonceThenVid, 14, 9)).notifyType())
                    .isEqualTo(NotifyType.UNEQUAL_PAYLOAD_LENGTHS);
        }

        @Test
        void announcedPayloadMissing() {
            // the nonce says a VID follows, but the message ends
            byte[] m = message(new NoncePayload(new byte[8]));
            assertThat(decodeFails(with(m, 28, PayloadType.VENDOR_ID)).notifyType())
                    .isEqualTo(NotifyType.UNEQUAL_PAYLOAD_LENGTHS);
            assertThat(chainFails(PayloadType.NONCE, Arrays.copyOf(nonceThenVid, 14)).notifyType())
                    .isEqualTo(NotifyType.UNEQUAL_PAYLOAD_LENGTHS);
        }

        @ParameterizedTest
        @ValueSource(ints = {0, 1, 3})
        void payloadLengthBelowTheGenericHeader(int length) {
            assertThat(chainFails(PayloadType.NONCE, withU16(nonceThenVid, 2, length)).notifyType())
                    .isEqualTo(NotifyType.PAYLOAD_MALFORMED);
        }

        @ParameterizedTest
        @CsvSource({"1, 11", "5, 7", "6, 4", "7, 4", "11, 11", "12, 11", "14, 7", "21, 7", "131, 7", "132, 7"})
        void payloadLengthBelowItsTypeMinimum(int type, int length) {
            byte[] b = new byte[64];
            b[2] = (byte) (length >>> 8);
            b[3] = (byte) length;
            IsakmpDecodeException e = chainFails(type, Arrays.copyOf(b, Math.max(length, 4)));
            assertThat(e.notifyType()).isEqualTo(NotifyType.PAYLOAD_MALFORMED);
            assertThat(e).hasMessageContaining("below its minimum");
        }

        @Test
        void bytesAfterTheLastPayloadOfAClearMessage() {
            byte[] m = message(new NoncePayload(new byte[8]));
            byte[] withJunk = Arrays.copyOf(m, m.length + 3);
            withJunk[27] = (byte) withJunk.length; // header length includes the junk
            assertThat(decodeFails(withJunk).notifyType()).isEqualTo(NotifyType.UNEQUAL_PAYLOAD_LENGTHS);
        }

        @Test
        void paddingAfterTheLastPayloadOfADecryptedBody() throws Exception {
            byte[] padded = Arrays.copyOf(nonceThenVid, nonceThenVid.length + 7);
            padded[padded.length - 1] = 7; // racoon style: pad length in the last byte
            PayloadChain c = IsakmpCodec.decodePayloads(PayloadType.NONCE, padded);
            assertThat(c.size()).isEqualTo(2);
            assertThat(c.padding()).isEqualTo(7);
            assertThat(chainFails(PayloadType.NONCE, padded).notifyType())
                    .isEqualTo(NotifyType.UNEQUAL_PAYLOAD_LENGTHS);
        }

        @Test
        void reservedByteNotZero() {
            assertThat(chainFails(PayloadType.NONCE, with(nonceThenVid, 1, 0x80)).notifyType())
                    .isEqualTo(NotifyType.PAYLOAD_MALFORMED);
        }

        @ParameterizedTest
        @ValueSource(ints = {PayloadType.PROPOSAL, PayloadType.TRANSFORM})
        void proposalOrTransformOutsideAnSa(int type) {
            assertThat(chainFails(type, new byte[] {0, 0, 0, 8, 0, 0, 0, 0}).notifyType())
                    .isEqualTo(NotifyType.INVALID_PAYLOAD_TYPE);
        }

        @ParameterizedTest
        @ValueSource(ints = {-1, 256})
        void firstTypeOutOfRange(int type) {
            assertThat(chainFails(type, new byte[0]).notifyType()).isEqualTo(NotifyType.INVALID_PAYLOAD_TYPE);
        }

        @Test
        void unknownTypesAreValuesNotErrors() throws Exception {
            PayloadChain c = IsakmpCodec.decodePayloads(77, Hex.decode("0d0000060102" + "00000004"), true);
            assertThat(c.payloads()).containsExactly(new UnknownPayload(77, Hex.decode("0102")),
                    new VendorIdPayload(new byte[0]));
        }
    }

    @Nested
    class Sa {
        // SA(12) | proposal hdr(8) SPI(4) | transform 1 (8 + TV 4 + TLV 4+3) | transform 2 (8)
        private final byte[] sa = chain(SaPayload.of(Proposal.of(1, ProtocolId.IPSEC_ESP, Hex.decode("01020304"),
                Transform.of(1, TransformId.Esp.ESP_3DES, DataAttribute.tv(IpsecAttribute.ENCAPSULATION_MODE, 1),
                        DataAttribute.tlv(IpsecAttribute.SA_LIFE_DURATION, Hex.decode("0e1000"))),
                Transform.of(2, TransformId.Esp.ESP_AES))));
        private static final int PROPOSAL = 12;
        private static final int TRANSFORM1 = PROPOSAL + 12;
        private static final int ATTRS = TRANSFORM1 + 8;
        private static final int TRANSFORM2 = ATTRS + 11;

        private int notify(byte[] b) {
            return chainFails(PayloadType.SA, b).notifyType();
        }

        @Test
        void layoutAssumedByTheseTests() throws Exception {
            assertThat(sa).hasSize(TRANSFORM2 + 8);
            assertThat(sa[TRANSFORM1]).isEqualTo((byte) PayloadType.TRANSFORM);
            assertThat(sa[TRANSFORM2]).isEqualTo((byte) PayloadType.NONE);
            assertThat(IsakmpCodec.decodePayloads(PayloadType.SA, sa, true).size()).isEqualTo(1);
        }

        @Test
        void doiAndSituation() {
            assertThat(notify(with(sa, 7, 2))).isEqualTo(NotifyType.DOI_NOT_SUPPORTED);
            assertThat(notify(with(sa, 7, 0))).isEqualTo(NotifyType.DOI_NOT_SUPPORTED);
            assertThat(notify(with(sa, 11, Doi.SIT_SECRECY | 1))).isEqualTo(NotifyType.SITUATION_NOT_SUPPORTED);
            assertThat(notify(with(sa, 11, Doi.SIT_INTEGRITY))).isEqualTo(NotifyType.SITUATION_NOT_SUPPORTED);
        }

        @Test
        void saWithoutProposals() {
            assertThat(notify(withU16(Arrays.copyOf(sa, 12), 2, 12))).isEqualTo(NotifyType.BAD_PROPOSAL_SYNTAX);
        }

        @Test
        void proposalLengths() {
            assertThat(notify(withU16(sa, PROPOSAL + 2, 7))).isEqualTo(NotifyType.PAYLOAD_MALFORMED);
            assertThat(notify(withU16(sa, PROPOSAL + 2, sa.length - PROPOSAL + 1)))
                    .isEqualTo(NotifyType.PAYLOAD_MALFORMED);
            // a proposal length that cuts off its second transform
            assertThat(notify(withU16(sa, PROPOSAL + 2, sa.length - PROPOSAL - 8)))
                    .isEqualTo(NotifyType.BAD_PROPOSAL_SYNTAX);
        }

        @Test
        void proposalChain() {
            assertThat(notify(with(sa, PROPOSAL, PayloadType.PROPOSAL))).isEqualTo(NotifyType.BAD_PROPOSAL_SYNTAX);
            assertThat(notify(with(sa, PROPOSAL, PayloadType.KE))).isEqualTo(NotifyType.BAD_PROPOSAL_SYNTAX);
            assertThat(notify(with(sa, PROPOSAL + 1, 1))).isEqualTo(NotifyType.PAYLOAD_MALFORMED);
            byte[] grown = withU16(Arrays.copyOf(sa, sa.length + 2), 2, sa.length + 2);
            assertThat(notify(grown)).isEqualTo(NotifyType.BAD_PROPOSAL_SYNTAX);
        }

        @Test
        void spiSizePastTheProposal() {
            assertThat(notify(with(sa, PROPOSAL + 6, 200))).isEqualTo(NotifyType.PAYLOAD_MALFORMED);
        }

        @Test
        void transformCountVersusTransforms() {
            assertThat(notify(with(sa, PROPOSAL + 7, 0))).isEqualTo(NotifyType.BAD_PROPOSAL_SYNTAX);
            assertThat(notify(with(sa, PROPOSAL + 7, 1))).isEqualTo(NotifyType.BAD_PROPOSAL_SYNTAX);
            assertThat(notify(with(sa, PROPOSAL + 7, 3))).isEqualTo(NotifyType.BAD_PROPOSAL_SYNTAX);
            // the first transform claims to be the last: the second is left over
            assertThat(notify(with(sa, TRANSFORM1, PayloadType.NONE))).isEqualTo(NotifyType.BAD_PROPOSAL_SYNTAX);
            // the last transform announces another that is not there
            assertThat(notify(with(sa, TRANSFORM2, PayloadType.TRANSFORM))).isEqualTo(NotifyType.BAD_PROPOSAL_SYNTAX);
            assertThat(notify(with(sa, TRANSFORM2, PayloadType.SA))).isEqualTo(NotifyType.BAD_PROPOSAL_SYNTAX);
        }

        @Test
        void transformLengths() {
            assertThat(notify(withU16(sa, TRANSFORM1 + 2, 7))).isEqualTo(NotifyType.PAYLOAD_MALFORMED);
            assertThat(notify(withU16(sa, TRANSFORM2 + 2, 9))).isEqualTo(NotifyType.PAYLOAD_MALFORMED);
            assertThat(notify(with(sa, TRANSFORM1 + 6, 1))).isEqualTo(NotifyType.PAYLOAD_MALFORMED); // reserved
        }

        @Test
        void attributeLengths() {
            // TLV length past the end of the transform
            assertThat(notify(withU16(sa, ATTRS + 6, 4))).isEqualTo(NotifyType.PAYLOAD_MALFORMED);
            assertThat(notify(withU16(sa, ATTRS + 6, 0xffff))).isEqualTo(NotifyType.PAYLOAD_MALFORMED);
            // shorter TLV leaves 1 stray byte where an attribute header should be
            assertThat(notify(withU16(sa, ATTRS + 6, 2))).isEqualTo(NotifyType.PAYLOAD_MALFORMED);
            // TV bit set on the TLV: 0e 10 00 read as a header leaves 3 stray bytes
            assertThat(notify(with(sa, ATTRS + 4, 0x80))).isEqualTo(NotifyType.PAYLOAD_MALFORMED);
        }
    }

    @Nested
    class OtherPayloads {
        @Test
        void notifySpiPastTheEnd() {
            byte[] n = chain(NotifyPayload.of(ProtocolId.IPSEC_ESP, NotifyType.INVALID_SPI, new byte[4], new byte[0]));
            assertThat(chainFails(PayloadType.NOTIFY, with(n, 9, 5)).notifyType())
                    .isEqualTo(NotifyType.PAYLOAD_MALFORMED);
        }

        @ParameterizedTest
        @CsvSource({"0, 5", "3, 4", "1, 16", "2, 3"})
        void deleteSpisVersusCount(int count, int spiSize) {
            byte[] d = chain(DeletePayload.ofSpis(ProtocolId.IPSEC_ESP, 1, 2));
            byte[] bad = withU16(with(d, 9, spiSize), 10, count);
            assertThat(chainFails(PayloadType.DELETE, bad).notifyType()).isEqualTo(NotifyType.PAYLOAD_MALFORMED);
        }

        @ParameterizedTest
        @CsvSource({"2", "65535"})
        void aDeleteOfManyZeroLengthSpisIsMalformedNotThousandsOfEmptySpis(int count) {
            // 12 bytes on the wire that would otherwise decode into up to 65,535 empty SPIs.
            byte[] d = new byte[12];
            d[3] = 12;
            d[7] = 1; // IPsec DOI
            d[8] = (byte) ProtocolId.IPSEC_ESP;
            d[9] = 0; // SPI size
            d[10] = (byte) (count >>> 8);
            d[11] = (byte) count;
            assertThat(chainFails(PayloadType.DELETE, d).notifyType()).isEqualTo(NotifyType.PAYLOAD_MALFORMED);
        }

        @ParameterizedTest
        @CsvSource({"1, 3", "1, 5", "4, 4", "7, 9", "5, 4", "6, 16", "8, 31"})
        void addressIdentitiesHaveFixedLengths(int idType, int dataLength) {
            byte[] body = new byte[4 + dataLength];
            body[0] = (byte) idType;
            byte[] p = new byte[4 + body.length];
            p[3] = (byte) p.length;
            System.arraycopy(body, 0, p, 4, body.length);
            assertThat(chainFails(PayloadType.ID, p).notifyType()).isEqualTo(NotifyType.INVALID_ID_INFORMATION);
        }

        @Test
        void natOa() {
            byte[] oa = chain(NatOaPayload.ipv4(0x01020304, false));
            assertThat(chainFails(PayloadType.NAT_OA, with(oa, 4, IdType.IPV6_ADDR)).notifyType())
                    .isEqualTo(NotifyType.PAYLOAD_MALFORMED);
            assertThat(chainFails(PayloadType.NAT_OA, with(oa, 6, 1)).notifyType())
                    .isEqualTo(NotifyType.PAYLOAD_MALFORMED);
        }

        @Test
        void attributePayload() {
            byte[] a = chain(AttributePayload.of(ConfigType.ISAKMP_CFG_REPLY, 1,
                    DataAttribute.text(ConfigAttribute.XAUTH_USER_NAME, "bob")));
            assertThat(chainFails(PayloadType.ATTRIBUTE, with(a, 5, 1)).notifyType())
                    .isEqualTo(NotifyType.PAYLOAD_MALFORMED);
            assertThat(chainFails(PayloadType.ATTRIBUTE, withU16(a, 10, 4)).notifyType())
                    .isEqualTo(NotifyType.PAYLOAD_MALFORMED);
        }
    }
}
