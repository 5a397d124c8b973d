package dev.vpnrouter.ike.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vpnrouter.common.Hex;
import dev.vpnrouter.common.Ipv4;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class PayloadRoundTripTest {

    static Stream<Payload> samples() {
        return Samples.all().stream();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyPayloadRoundTripsAlone(Payload p) throws Exception {
        byte[] wire = IsakmpCodec.encodePayloads(List.of(p));
        PayloadChain back = IsakmpCodec.decodePayloads(p.type(), wire, true);
        assertThat(back.payloads()).containsExactly(p);
        assertThat(IsakmpCodec.encodePayloads(back.payloads())).isEqualTo(wire);
        assertThat(back.rawBody(0)).isEqualTo(IsakmpCodec.encodeBody(p));
        assertThat(back.raw(0)).isEqualTo(wire);
    }

    @Test
    void allPayloadsRoundTripAsOneMessage() throws Exception {
        List<Payload> all = Samples.all();
        IsakmpHeader h = IsakmpHeader.of(0x0102030405060708L, 0x1112131415161718L, ExchangeType.INFORMATIONAL,
                IsakmpHeader.FLAG_COMMIT, 0xdeadbeef);
        byte[] wire = IsakmpCodec.encode(h, all);
        PlainMessage m = (PlainMessage) IsakmpCodec.decode(wire);
        assertThat(m.payloads().payloads()).isEqualTo(all);
        assertThat(m.header().length()).isEqualTo(wire.length);
        assertThat(m.header().nextPayload()).isEqualTo(PayloadType.SA);
        assertThat(m.header().messageId()).isEqualTo(0xdeadbeef);
        assertThat(m.header().messageIdUnsigned()).isEqualTo(0xdeadbeefL);
        assertThat(m.header().isCommit()).isTrue();
        assertThat(m.header()).isEqualTo(new IsakmpHeader(h.initiatorCookie(), h.responderCookie(), PayloadType.SA,
                1, 0, ExchangeType.INFORMATIONAL, IsakmpHeader.FLAG_COMMIT, 0xdeadbeef, wire.length));
        assertThat(IsakmpCodec.encode(m.header(), m.payloads().payloads())).isEqualTo(wire);
    }

    @Test
    void encodingMatchesTheRfcLayout() {
        // generic header, then DOI/protocol/SPI size/type, SPI, data (RFC 2408 3.14)
        byte[] n = IsakmpCodec.encodePayloads(List.of(NotifyPayload.of(ProtocolId.IPSEC_ESP,
                NotifyType.RESPONDER_LIFETIME, Hex.decode("c0ffee01"), Hex.decode("800100010002000400000e10"))));
        assertThat(Hex.of(n)).isEqualTo("0000001c" + "00000001" + "03" + "04" + "6000" + "c0ffee01"
                + "800100010002000400000e10");
        // ID: type, protocol, port, data
        byte[] id = IsakmpCodec.encodePayloads(List.of(IdPayload.ipv4Subnet(Ipv4.parse("10.1.0.0"),
                Ipv4.parse("255.255.0.0"), 0, 0)));
        assertThat(Hex.of(id)).isEqualTo("00000010" + "04" + "00" + "0000" + "0a010000" + "ffff0000");
        // attributes: AF bit for TV, type/length/value otherwise
        byte[] attr = IsakmpCodec.encodePayloads(List.of(AttributePayload.of(ConfigType.ISAKMP_CFG_REQUEST, 0x1234,
                DataAttribute.tv(ConfigAttribute.XAUTH_TYPE, 0), DataAttribute.empty(ConfigAttribute.XAUTH_USER_NAME))));
        assertThat(Hex.of(attr)).isEqualTo("00000010" + "01" + "00" + "1234" + "c0880000" + "40890000");
        // delete: DOI, protocol, SPI size, count, SPIs
        byte[] d = IsakmpCodec.encodePayloads(List.of(DeletePayload.ofSpis(ProtocolId.IPSEC_ESP, 0x11223344)));
        assertThat(Hex.of(d)).isEqualTo("00000010" + "00000001" + "03" + "04" + "0001" + "11223344");
        // NAT-OA: ID type, 3 reserved bytes, address; draft number 131
        assertThat(IsakmpCodec.encodePayloads(List.of(NatOaPayload.ipv4(Ipv4.parse("192.0.2.2"), true))))
                .isEqualTo(Hex.decode("0000000c01000000c0000202"));
        assertThat(NatOaPayload.ipv4(1, true).type()).isEqualTo(PayloadType.NAT_OA_DRAFT);
        assertThat(new NatDPayload(new byte[0], true).type()).isEqualTo(PayloadType.NAT_D_DRAFT);
        // fragment: id, number, flags, data
        assertThat(IsakmpCodec.encodePayloads(List.of(new FragmentPayload(0x0102, 3, 1, Hex.decode("ee")))))
                .isEqualTo(Hex.decode("0000000901020301ee"));
    }

    @Test
    void payloadChainLinksNextPayloadFields() throws Exception {
        byte[] wire = IsakmpCodec.encodePayloads(List.of(new HashPayload(new byte[2]), new NoncePayload(new byte[1]),
                KnownVendorId.DPD.payload()));
        assertThat(wire[0]).isEqualTo((byte) PayloadType.NONCE);
        assertThat(wire[6]).isEqualTo((byte) PayloadType.VENDOR_ID);
        assertThat(wire[11]).isEqualTo((byte) PayloadType.NONE);
        PayloadChain c = IsakmpCodec.decodePayloads(PayloadType.HASH, wire);
        assertThat(c.rawAfter(0)).isEqualTo(IsakmpCodec.encodePayloads(c.payloads().subList(1, 3)));
        assertThat(c.rawAfter(2)).isEmpty();
        assertThat(c.length()).isEqualTo(wire.length);
        assertThat(c.padding()).isZero();
        assertThat(c.first(VendorIdPayload.class)).contains(KnownVendorId.DPD.payload());
        assertThat(c.all(NoncePayload.class)).hasSize(1);
    }

    @Test
    void encryptedEncodingSetsTheFlagAndLength() throws Exception {
        IsakmpHeader h = IsakmpHeader.of(1, 2, ExchangeType.QUICK_MODE, 0, 77);
        byte[] wire = IsakmpCodec.encodeEncrypted(h, PayloadType.HASH, new byte[16]);
        EncryptedMessage e = (EncryptedMessage) IsakmpCodec.decode(wire);
        assertThat(e.header().isEncrypted()).isTrue();
        assertThat(e.header().nextPayload()).isEqualTo(PayloadType.HASH);
        assertThat(e.header().length()).isEqualTo(44);
        assertThat(e.body()).hasSize(16);
        assertThatThrownBy(() -> IsakmpCodec.encode(e.header(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void zeroPadding() throws Exception {
        assertThat(IsakmpCodec.zeroPad(new byte[13], 8)).hasSize(16);
        assertThat(IsakmpCodec.zeroPad(new byte[16], 16)).hasSize(16);
        byte[] plain = IsakmpCodec.encodePayloads(List.of(new HashPayload(new byte[20]),
                NotifyPayload.of(ProtocolId.ISAKMP, NotifyType.R_U_THERE, new byte[16], new byte[4])));
        PayloadChain c = IsakmpCodec.decodePayloads(PayloadType.HASH, IsakmpCodec.zeroPad(plain, 16));
        assertThat(c.size()).isEqualTo(2);
        assertThat(c.length()).isEqualTo(plain.length);
        assertThat(c.padding()).isEqualTo(16 - plain.length % 16);
    }

    @Test
    void emptyChain() throws Exception {
        assertThat(IsakmpCodec.decodePayloads(PayloadType.NONE, new byte[0]).size()).isZero();
        byte[] wire = IsakmpCodec.encode(IsakmpHeader.of(1, 0, ExchangeType.INFORMATIONAL, 0, 0), List.of());
        assertThat(wire).hasSize(28);
        assertThat(((PlainMessage) IsakmpCodec.decode(wire)).payloads().size()).isZero();
    }

    @Test
    void headerCookieHelpers() {
        IsakmpHeader h = IsakmpHeader.of(0x17f0e3ad9c9e2469L, 0xca7279ce0d2c7dbfL, ExchangeType.IDENTITY_PROTECTION,
                0, 0);
        assertThat(Hex.of(h.initiatorCookieBytes())).isEqualTo("17f0e3ad9c9e2469");
        assertThat(Hex.of(h.cookiePair())).isEqualTo("17f0e3ad9c9e2469ca7279ce0d2c7dbf");
        assertThat(IsakmpHeader.cookie(h.responderCookieBytes())).isEqualTo(0xca7279ce0d2c7dbfL);
        assertThat(h.withResponderCookie(5).responderCookie()).isEqualTo(5);
        assertThat(h.withMessageId(9).messageId()).isEqualTo(9);
        assertThat(h.withFlags(1).isEncrypted()).isTrue();
    }
}
