package dev.vpnrouter.ike.wire;

import dev.vpnrouter.common.Hex;
import dev.vpnrouter.common.Ipv4;
import java.util.List;

/** One sample of every payload type, with the variations that matter (SPI sizes, TV/TLV, draft numbering). */
final class Samples {
    private Samples() {
    }

    static Transform phase1Transform() {
        return Transform.of(1, TransformId.Isakmp.KEY_IKE,
                DataAttribute.tv(Phase1Attribute.ENCRYPTION_ALGORITHM, Phase1Attribute.Encryption.AES_CBC),
                DataAttribute.tv(Phase1Attribute.KEY_LENGTH, 256),
                DataAttribute.tv(Phase1Attribute.HASH_ALGORITHM, Phase1Attribute.Hash.SHA2_256),
                DataAttribute.tv(Phase1Attribute.AUTHENTICATION_METHOD,
                        Phase1Attribute.AuthMethod.XAUTH_INIT_PRESHARED),
                DataAttribute.tv(Phase1Attribute.GROUP_DESCRIPTION, 14),
                DataAttribute.tv(Phase1Attribute.GROUP_TYPE, Phase1Attribute.GroupType.MODP),
                DataAttribute.tlv(Phase1Attribute.GROUP_PRIME, Hex.decode("ffffffffffffffffc90fdaa22168c234")),
                DataAttribute.tv(Phase1Attribute.GROUP_GENERATOR_ONE, 2),
                DataAttribute.tv(Phase1Attribute.LIFE_TYPE, Phase1Attribute.LifeType.SECONDS),
                DataAttribute.number(Phase1Attribute.LIFE_DURATION, 86400),
                DataAttribute.tv(Phase1Attribute.LIFE_TYPE, Phase1Attribute.LifeType.KILOBYTES),
                DataAttribute.tlv(Phase1Attribute.LIFE_DURATION, Hex.decode("000000000010000000")),
                DataAttribute.tv(Phase1Attribute.PRF, 1),
                DataAttribute.tv(Phase1Attribute.FIELD_SIZE, 1024),
                DataAttribute.tlv(Phase1Attribute.GROUP_ORDER, Hex.decode("7fffffff")));
    }

    static Transform espTransform(int number, int encapsulation) {
        return Transform.of(number, TransformId.Esp.ESP_AES,
                DataAttribute.tv(IpsecAttribute.SA_LIFE_TYPE, IpsecAttribute.LifeType.SECONDS),
                DataAttribute.number(IpsecAttribute.SA_LIFE_DURATION, 3600),
                DataAttribute.tv(IpsecAttribute.SA_LIFE_TYPE, IpsecAttribute.LifeType.KILOBYTES),
                DataAttribute.number(IpsecAttribute.SA_LIFE_DURATION, 4608000),
                DataAttribute.tv(IpsecAttribute.GROUP_DESCRIPTION, 2),
                DataAttribute.tv(IpsecAttribute.ENCAPSULATION_MODE, encapsulation),
                DataAttribute.tv(IpsecAttribute.AUTHENTICATION_ALGORITHM, IpsecAttribute.AuthAlgorithm.HMAC_SHA),
                DataAttribute.tv(IpsecAttribute.KEY_LENGTH, 128),
                DataAttribute.tv(IpsecAttribute.KEY_ROUNDS, 12));
    }

    static List<Payload> all() {
        return List.of(
                SaPayload.of(Proposal.of(1, ProtocolId.ISAKMP, new byte[0], phase1Transform(),
                        Transform.of(2, TransformId.Isakmp.KEY_IKE))),
                SaPayload.of(
                        Proposal.of(1, ProtocolId.IPSEC_ESP, Hex.decode("c0ffee01"),
                                espTransform(1, IpsecAttribute.EncapsulationMode.TUNNEL),
                                espTransform(2, IpsecAttribute.EncapsulationMode.UDP_TUNNEL),
                                espTransform(3, IpsecAttribute.EncapsulationMode.UDP_TUNNEL_DRAFT),
                                espTransform(4, IpsecAttribute.EncapsulationMode.UDP_TRANSPORT_DRAFT)),
                        Proposal.of(1, ProtocolId.IPSEC_AH, Hex.decode("c0ffee02"),
                                Transform.of(1, TransformId.Ah.AH_SHA, DataAttribute.tv(
                                        IpsecAttribute.AUTHENTICATION_ALGORITHM,
                                        IpsecAttribute.AuthAlgorithm.HMAC_SHA))),
                        Proposal.of(2, ProtocolId.IPCOMP, Hex.decode("1234"),
                                Transform.of(1, TransformId.IpComp.IPCOMP_DEFLATE)),
                        Proposal.of(3, ProtocolId.ISAKMP, Hex.decode("00112233445566778899aabbccddeeff"),
                                Transform.of(0, TransformId.Isakmp.KEY_IKE))),
                new KePayload(new byte[128]),
                IdPayload.ipv4(Ipv4.parse("10.100.2.102"), 17, 500),
                IdPayload.fqdn("hub.example.net"),
                IdPayload.userFqdn("user@example.net"),
                IdPayload.ipv4Subnet(Ipv4.parse("10.1.0.0"), Ipv4.parse("255.255.0.0"), 0, 0),
                IdPayload.ipv4Range(Ipv4.parse("10.5.5.1"), Ipv4.parse("10.5.5.9"), 6, 80),
                IdPayload.keyId("testgroup"),
                new IdPayload(IdType.IPV6_ADDR, 0, 0, new byte[16]),
                new IdPayload(IdType.DER_ASN1_DN, 0, 0, Hex.decode("3000")),
                new CertPayload(CertEncoding.X509_SIGNATURE, Hex.decode("308201")),
                new CertRequestPayload(CertEncoding.X509_SIGNATURE, new byte[0]),
                new HashPayload(Hex.decode("78e7f304dd80c3b9e045e58af35ab4b83d405e83")),
                new SignaturePayload(Hex.decode("0102030405")),
                new NoncePayload(Hex.decode("db7be64c49e5ef0a718eb2c39e013e3ed39007ff")),
                NotifyPayload.of(ProtocolId.ISAKMP, NotifyType.INITIAL_CONTACT, new byte[16], new byte[0]),
                NotifyPayload.of(ProtocolId.ISAKMP, NotifyType.R_U_THERE, new byte[16], Hex.decode("0000abcd")),
                NotifyPayload.of(ProtocolId.IPSEC_ESP, NotifyType.RESPONDER_LIFETIME, Hex.decode("c0ffee01"),
                        Hex.decode("800100010002000400000e10")),
                new NotifyPayload(0, 0, NotifyType.NO_PROPOSAL_CHOSEN, new byte[0], new byte[0]),
                new NotifyPayload(Doi.IPSEC, ProtocolId.ISAKMP, 54321, new byte[0], Hex.decode("ff")),
                DeletePayload.ofSpis(ProtocolId.IPSEC_ESP, 0xc0ffee01, 0x12345678),
                DeletePayload.ofIsakmp(Hex.decode("17f0e3ad9c9e2469ca7279ce0d2c7dbf")),
                new DeletePayload(Doi.IPSEC, ProtocolId.IPSEC_ESP, 4, List.of()),
                KnownVendorId.CISCO_UNITY.payload(),
                new VendorIdPayload(new byte[0]),
                AttributePayload.of(ConfigType.ISAKMP_CFG_REQUEST, 0xbeef,
                        DataAttribute.tv(ConfigAttribute.XAUTH_TYPE, ConfigAttribute.XauthType.GENERIC),
                        DataAttribute.empty(ConfigAttribute.XAUTH_USER_NAME),
                        DataAttribute.empty(ConfigAttribute.XAUTH_USER_PASSWORD)),
                AttributePayload.of(ConfigType.ISAKMP_CFG_REPLY, 1,
                        DataAttribute.ipv4(ConfigAttribute.INTERNAL_IP4_ADDRESS, Ipv4.parse("10.5.5.1")),
                        DataAttribute.text(ConfigAttribute.UNITY_DEF_DOMAIN, "cisco.com"),
                        DataAttribute.tlv(ConfigAttribute.UNITY_SPLIT_INCLUDE,
                                Hex.decode("0a010000ffff0000000000000000"))),
                AttributePayload.of(ConfigType.ISAKMP_CFG_SET, 2,
                        DataAttribute.tv(ConfigAttribute.XAUTH_STATUS, ConfigAttribute.XauthStatus.OK)),
                AttributePayload.of(ConfigType.ISAKMP_CFG_ACK, 2),
                new NatDPayload(new byte[20], false),
                new NatDPayload(Hex.decode("0102"), true),
                NatOaPayload.ipv4(Ipv4.parse("192.0.2.2"), false),
                NatOaPayload.ipv4(Ipv4.parse("192.0.2.2"), true),
                new NatOaPayload(IdType.IPV6_ADDR, new byte[16], false),
                new FragmentPayload(7, 1, 0, Hex.decode("aabbcc")),
                new FragmentPayload(7, 2, FragmentPayload.FLAG_LAST, Hex.decode("dd")),
                new UnknownPayload(99, Hex.decode("cafe")),
                new UnknownPayload(15, new byte[0]));
    }
}
