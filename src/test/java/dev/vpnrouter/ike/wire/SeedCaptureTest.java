package dev.vpnrouter.ike.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpnrouter.common.Hex;
import dev.vpnrouter.common.Ipv4;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Decodes the real exchanges of vectors/strongswan-hub-seed (strongSwan spoke and vpnc against a strongSwan hub) and
 * re-encodes them byte for byte. Expected field values were read with {@code tshark -r seed-exchanges.pcap -V}. The
 * encrypted messages are opened with the keys the hub logged, to run the payload chain decoder on real plaintext.
 */
class SeedCaptureTest {
    private static Map<Integer, PcapReader.Datagram> frames;
    private static String log;

    @BeforeAll
    static void load() throws Exception {
        frames = SeedVectors.datagrams();
        log = SeedVectors.log();
    }

    private static PlainMessage plain(int frame) throws IsakmpDecodeException {
        DecodedMessage m = IsakmpCodec.decode(frames.get(frame).isakmp());
        assertThat(m).isInstanceOf(PlainMessage.class);
        return (PlainMessage) m;
    }

    private static void assertReencodes(int frame) throws IsakmpDecodeException {
        byte[] wire = frames.get(frame).isakmp();
        PlainMessage m = plain(frame);
        assertThat(Hex.of(IsakmpCodec.encode(m.header(), m.payloads().payloads()))).isEqualTo(Hex.of(wire));
    }

    @Test
    void captureHoldsTheExpectedIsakmpFrames() {
        assertThat(frames.keySet()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                23, 24, 25);
        assertThat(frames.get(5).sourcePort()).isEqualTo(4500); // non-ESP marker removed
        assertThat(frames.get(5).isakmp()).hasSize(100);
    }

    @Test
    void mainMode1FromTheSpoke() throws Exception {
        PlainMessage m = plain(1);
        IsakmpHeader h = m.header();
        assertThat(h.initiatorCookie()).isEqualTo(0x17f0e3ad9c9e2469L);
        assertThat(h.responderCookie()).isZero();
        assertThat(h.nextPayload()).isEqualTo(PayloadType.SA);
        assertThat(h.majorVersion()).isEqualTo(1);
        assertThat(h.minorVersion()).isZero();
        assertThat(h.exchangeType()).isEqualTo(ExchangeType.IDENTITY_PROTECTION);
        assertThat(h.flags()).isZero();
        assertThat(h.messageId()).isZero();
        assertThat(h.length()).isEqualTo(176);
        assertThat(m.payloads().types()).containsExactly(1, 13, 13, 13, 13, 13);

        SaPayload sa = (SaPayload) m.payloads().get(0);
        assertThat(sa.doi()).isEqualTo(Doi.IPSEC);
        assertThat(sa.situation()).isEqualTo(Doi.SIT_IDENTITY_ONLY);
        assertThat(sa.proposals()).hasSize(1);
        Proposal p = sa.proposals().get(0);
        assertThat(p.number()).isEqualTo(1);
        assertThat(p.protocolId()).isEqualTo(ProtocolId.ISAKMP);
        assertThat(p.spiSize()).isZero();
        Transform t = p.transforms().get(0);
        assertThat(t.number()).isEqualTo(1);
        assertThat(t.transformId()).isEqualTo(TransformId.Isakmp.KEY_IKE);
        assertThat(t.attributes()).containsExactly(
                DataAttribute.tv(Phase1Attribute.ENCRYPTION_ALGORITHM, Phase1Attribute.Encryption.TRIPLE_DES_CBC),
                DataAttribute.tv(Phase1Attribute.HASH_ALGORITHM, Phase1Attribute.Hash.SHA),
                DataAttribute.tv(Phase1Attribute.GROUP_DESCRIPTION, 2),
                DataAttribute.tv(Phase1Attribute.AUTHENTICATION_METHOD,
                        Phase1Attribute.AuthMethod.PRE_SHARED_KEY),
                DataAttribute.tv(Phase1Attribute.LIFE_TYPE, Phase1Attribute.LifeType.SECONDS),
                DataAttribute.tv(Phase1Attribute.LIFE_DURATION, 15840));
        assertThat(t.value(Phase1Attribute.LIFE_DURATION)).hasValue(15840);

        assertThat(m.payloads().all(VendorIdPayload.class).stream()
                .map(v -> KnownVendorId.identify(v.data()).orElseThrow()))
                .containsExactly(KnownVendorId.XAUTH, KnownVendorId.DPD, KnownVendorId.CISCO_FRAGMENTATION,
                        KnownVendorId.NAT_T_RFC3947, KnownVendorId.NAT_T_DRAFT_02N);
        MessageRule.MAIN_MODE_1.check(h, m.payloads());
        assertReencodes(1);
    }

    @Test
    void mainMode2FromTheHub() throws Exception {
        PlainMessage m = plain(2);
        assertThat(m.header().responderCookie()).isEqualTo(0xca7279ce0d2c7dbfL);
        assertThat(m.payloads().all(VendorIdPayload.class).stream()
                .map(v -> KnownVendorId.identify(v.data()).orElseThrow().strongSwanName()))
                .containsExactly("XAuth", "DPD", "Cisco Unity", "FRAGMENTATION", "NAT-T (RFC 3947)");
        MessageRule.MAIN_MODE_2.check(m.header(), m.payloads());
        assertReencodes(2);
    }

    @Test
    void mainMode3And4CarryKeNonceAndNatD() throws Exception {
        for (int frame : new int[] {3, 4}) {
            PlainMessage m = plain(frame);
            assertThat(m.payloads().types()).containsExactly(4, 10, 20, 20);
            assertThat(((KePayload) m.payloads().get(0)).length()).isEqualTo(128);
            assertThat(((NoncePayload) m.payloads().get(1)).length()).isEqualTo(32);
            assertThat(m.payloads().all(NatDPayload.class)).allSatisfy(n -> {
                assertThat(n.hash()).hasSize(20);
                assertThat(n.draft()).isFalse();
            });
            (frame == 3 ? MessageRule.MAIN_MODE_3 : MessageRule.MAIN_MODE_4).check(m.header(), m.payloads());
            assertReencodes(frame);
        }
        assertThat(Hex.of(((KePayload) plain(3).payloads().get(0)).data())).startsWith("ff03253b9bc2466b");
        assertThat(Hex.of(((NoncePayload) plain(3).payloads().get(1)).data()))
                .isEqualTo("b81bc493eed27b96458cd5fa08084f7481e246109956c978eee3c66e292b359a");
        assertThat(Hex.of(((NoncePayload) plain(4).payloads().get(1)).data()))
                .isEqualTo("4f6e756e7fa729b3fe817ecde02bc0518687df590b6191576c48c9e2736c16dc");
        // the hub logged the NAT-D hash of the spoke's address that it put first in message 4
        List<String> logged = SeedVectors.loggedAll(log, "<3>", "natd_hash").stream().map(Hex::of).toList();
        assertThat(logged).contains(Hex.of(plain(4).payloads().first(NatDPayload.class).orElseThrow().hash()));
    }

    @Test
    void aggressiveMode1FromVpnc() throws Exception {
        PlainMessage m = plain(14);
        assertThat(m.header().exchangeType()).isEqualTo(ExchangeType.AGGRESSIVE);
        assertThat(m.header().initiatorCookie()).isEqualTo(0x37d7c49bb25618ecL);
        assertThat(m.header().length()).isEqualTo(1285);
        assertThat(m.payloads().types()).containsExactly(1, 4, 10, 5, 13, 13, 13, 13, 13, 13, 13, 13);

        Proposal p = m.payloads().first(SaPayload.class).orElseThrow().proposals().get(0);
        assertThat(p.number()).isZero();
        assertThat(p.transforms()).hasSize(24);
        Transform t0 = p.transforms().get(0);
        assertThat(t0.number()).isZero();
        assertThat(t0.value(Phase1Attribute.KEY_LENGTH)).hasValue(256);
        assertThat(t0.value(Phase1Attribute.ENCRYPTION_ALGORITHM)).hasValue(Phase1Attribute.Encryption.AES_CBC);
        assertThat(t0.value(Phase1Attribute.AUTHENTICATION_METHOD))
                .hasValue(Phase1Attribute.AuthMethod.XAUTH_INIT_PRESHARED);
        DataAttribute life = t0.attribute(Phase1Attribute.LIFE_DURATION).orElseThrow();
        assertThat(life.tv()).isFalse(); // vpnc sends its 2147483 s lifetime as a 4-byte TLV
        assertThat(life.length()).isEqualTo(4);
        assertThat(life.unsigned()).hasValue(2147483);

        IdPayload id = m.payloads().first(IdPayload.class).orElseThrow();
        assertThat(id.idType()).isEqualTo(IdType.KEY_ID);
        assertThat(id.protocolId()).isEqualTo(17);
        assertThat(id.port()).isEqualTo(500);
        assertThat(id.text()).isEqualTo("testgroup");
        assertThat(((NoncePayload) m.payloads().get(2)).data())
                .isEqualTo(Hex.decode("db7be64c49e5ef0a718eb2c39e013e3ed39007ff"));

        List<String> vids = m.payloads().all(VendorIdPayload.class).stream()
                .map(v -> KnownVendorId.identify(v.data()).map(KnownVendorId::strongSwanName)
                        .orElse("unknown " + Hex.of(v.data())))
                .toList();
        assertThat(vids).containsExactly("XAuth", "Cisco Unity", "NAT-T (RFC 3947)",
                "draft-ietf-ipsec-nat-t-ike-03", "draft-ietf-ipsec-nat-t-ike-02\\n", "draft-ietf-ipsec-nat-t-ike-02",
                "unknown 16f6ca16e4a4066d83821a0f0aeaa862", "draft-ietf-ipsec-nat-t-ike-00");
        MessageRule.AGGRESSIVE_1.check(m.header(), m.payloads());
        assertReencodes(14);
    }

    @Test
    void aggressiveMode2FromTheHub() throws Exception {
        PlainMessage m = plain(15);
        assertThat(m.header().responderCookie()).isEqualTo(0x5903a7a62643c963L);
        assertThat(m.payloads().types()).containsExactly(1, 4, 10, 5, 13, 13, 13, 13, 20, 20, 8);
        Proposal p = m.payloads().first(SaPayload.class).orElseThrow().proposals().get(0);
        assertThat(p.number()).isEqualTo(1);
        assertThat(p.transforms()).hasSize(1);
        assertThat(p.transforms().get(0).number()).isEqualTo(6);
        assertThat(p.transforms().get(0).value(Phase1Attribute.ENCRYPTION_ALGORITHM))
                .hasValue(Phase1Attribute.Encryption.TRIPLE_DES_CBC);
        IdPayload id = m.payloads().first(IdPayload.class).orElseThrow();
        assertThat(id.idType()).isEqualTo(IdType.IPV4_ADDR);
        assertThat(id.protocolId()).isZero();
        assertThat(id.port()).isZero();
        assertThat(id.ipv4Address()).isEqualTo(Ipv4.parse("203.0.113.2"));
        assertThat(m.payloads().first(HashPayload.class).orElseThrow().data())
                .isEqualTo(Hex.decode("78e7f304dd80c3b9e045e58af35ab4b83d405e83"))
                .isEqualTo(SeedVectors.logged(log, "<ra|4>", "HASH_R"));
        MessageRule.AGGRESSIVE_2.check(m.header(), m.payloads());
        assertReencodes(15);
    }

    @Test
    void rawSpansAreWhatHashIsComputedOver() throws Exception {
        // HASH_I data = g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b (RFC 2409 5); the hub logged it.
        PlainMessage mm1 = plain(1);
        PlainMessage mm3 = plain(3);
        PlainMessage mm4 = plain(4);
        PayloadChain mm5 = decrypt().get(5);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.write(mm3.payloads().rawBody(0));
        data.write(mm4.payloads().rawBody(0));
        data.write(mm4.header().cookiePair());
        data.write(mm1.payloads().rawBody(0));
        data.write(mm5.rawBody(0));
        assertThat(Hex.of(data.toByteArray()))
                .isEqualTo(Hex.of(SeedVectors.logged(log, "<spokes|3>", "HASH_I data")));
        assertThat(IsakmpCodec.encodeBody(mm1.payloads().get(0))).isEqualTo(mm1.payloads().rawBody(0));
    }

    @Test
    void encryptedHeadersDecodeOnTheirOwn() throws Exception {
        for (int frame : new int[] {5, 6, 7, 8, 9, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25}) {
            byte[] wire = frames.get(frame).isakmp();
            DecodedMessage m = IsakmpCodec.decode(wire);
            assertThat(m).as("frame %d", frame).isInstanceOf(EncryptedMessage.class);
            EncryptedMessage e = (EncryptedMessage) m;
            assertThat(e.header().isEncrypted()).isTrue();
            assertThat(e.body().length % 8).isZero();
            assertThat(IsakmpCodec.encodeEncrypted(e.header(), e.header().nextPayload(), e.body())).isEqualTo(wire);
        }
    }

    @Test
    void decryptedBodiesDecodeAndReencode() throws Exception {
        Map<Integer, PayloadChain> plain = decrypt();
        Map<Integer, String> expectedTypes = Map.ofEntries(Map.entry(5, "[5, 8, 11]"), Map.entry(6, "[5, 8]"),
                Map.entry(7, "[8, 1, 10, 5, 5]"), Map.entry(8, "[8, 1, 10, 5, 5]"), Map.entry(9, "[8]"),
                Map.entry(16, "[8, 11, 13, 13, 20, 20]"), Map.entry(17, "[8, 14]"), Map.entry(18, "[8, 14]"),
                Map.entry(19, "[8, 14]"), Map.entry(20, "[8, 14]"), Map.entry(21, "[8, 14]"),
                Map.entry(22, "[8, 14]"), Map.entry(23, "[8, 1, 10, 5, 5]"), Map.entry(24, "[8, 1, 10, 5, 5]"),
                Map.entry(25, "[8]"));
        Map<Integer, MessageRule> rules = Map.ofEntries(Map.entry(5, MessageRule.MAIN_MODE_5),
                Map.entry(6, MessageRule.MAIN_MODE_6), Map.entry(7, MessageRule.QUICK_MODE_1),
                Map.entry(8, MessageRule.QUICK_MODE_2), Map.entry(9, MessageRule.QUICK_MODE_3),
                Map.entry(16, MessageRule.AGGRESSIVE_3), Map.entry(17, MessageRule.TRANSACTION),
                Map.entry(18, MessageRule.TRANSACTION), Map.entry(19, MessageRule.TRANSACTION),
                Map.entry(20, MessageRule.TRANSACTION), Map.entry(21, MessageRule.TRANSACTION),
                Map.entry(22, MessageRule.TRANSACTION), Map.entry(23, MessageRule.QUICK_MODE_1),
                Map.entry(24, MessageRule.QUICK_MODE_2), Map.entry(25, MessageRule.QUICK_MODE_3));
        for (var e : plain.entrySet()) {
            int frame = e.getKey();
            PayloadChain chain = e.getValue();
            assertThat(chain.types()).as("frame %d", frame).hasToString(expectedTypes.get(frame));
            byte[] decrypted = decryptedBytes.get(frame);
            byte[] reencoded = IsakmpCodec.encodePayloads(chain.payloads());
            assertThat(reencoded.length + chain.padding()).isEqualTo(decrypted.length);
            assertThat(Hex.of(reencoded)).as("frame %d", frame)
                    .isEqualTo(Hex.of(Arrays.copyOf(decrypted, reencoded.length)));
            rules.get(frame).check(IsakmpCodec.decodeHeader(frames.get(frame).isakmp()), chain);
        }
        NotifyPayload initialContact = plain.get(5).first(NotifyPayload.class).orElseThrow();
        assertThat(initialContact.notifyType()).isEqualTo(NotifyType.INITIAL_CONTACT);
        assertThat(initialContact.spi()).isEqualTo(IsakmpCodec.decodeHeader(frames.get(5).isakmp()).cookiePair());
    }

    @Test
    void quickModeOfTheSpokeAsTshark() throws Exception {
        PayloadChain qm1 = decrypt().get(7);
        Proposal p = qm1.first(SaPayload.class).orElseThrow().proposals().get(0);
        assertThat(p.protocolId()).isEqualTo(ProtocolId.IPSEC_ESP);
        assertThat(p.spiSize()).isEqualTo(4);
        Transform t = p.transforms().get(0);
        assertThat(t.transformId()).isEqualTo(TransformId.Esp.ESP_3DES);
        assertThat(t.value(IpsecAttribute.ENCAPSULATION_MODE))
                .hasValue(IpsecAttribute.EncapsulationMode.UDP_TUNNEL);
        assertThat(t.value(IpsecAttribute.AUTHENTICATION_ALGORITHM))
                .hasValue(IpsecAttribute.AuthAlgorithm.HMAC_SHA);
        List<IdPayload> ids = qm1.all(IdPayload.class);
        assertThat(ids.get(0).describe()).isEqualTo("10.2.0.0/255.255.0.0");
        assertThat(ids.get(1).describe()).isEqualTo("10.1.0.0/255.255.0.0");

        // HASH(1) = prf(SKEYID_a, M-ID | everything after the HASH payload), RFC 2409 5.5
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(SeedVectors.logged(log, "<3>", "SKEYID_a"), "HmacSHA1"));
        mac.update(ByteBuffer.allocate(4).putInt(IsakmpCodec.decodeHeader(frames.get(7).isakmp()).messageId())
                .array());
        byte[] hash1 = mac.doFinal(qm1.rawAfter(0));
        assertThat(hash1).isEqualTo(((HashPayload) qm1.get(0)).data())
                .isEqualTo(SeedVectors.logged(log, "<spokes|3>", "Hash(1)"));
    }

    @Test
    void modeConfigReplyCarriesTheSeedAttributes() throws Exception {
        AttributePayload reply = decrypt().get(22).first(AttributePayload.class).orElseThrow();
        assertThat(reply.cfgType()).isEqualTo(ConfigType.ISAKMP_CFG_REPLY);
        assertThat(Ipv4.fromBytes(reply.attribute(ConfigAttribute.INTERNAL_IP4_ADDRESS).orElseThrow().value(), 0))
                .isEqualTo(Ipv4.parse("10.5.5.1"));
        assertThat(reply.attributes().stream().filter(a -> a.type() == ConfigAttribute.INTERNAL_IP4_DNS)
                .map(a -> Ipv4.format(Ipv4.fromBytes(a.value(), 0)))).containsExactly("1.1.1.1", "2.2.2.2");
        assertThat(reply.attribute(ConfigAttribute.UNITY_DEF_DOMAIN).orElseThrow().text()).isEqualTo("cisco.com");
        byte[] split = reply.attribute(ConfigAttribute.UNITY_SPLIT_INCLUDE).orElseThrow().value();
        assertThat(Ipv4.format(Ipv4.fromBytes(split, 0))).isEqualTo("10.1.0.0");
        assertThat(Ipv4.format(Ipv4.fromBytes(split, 4))).isEqualTo("255.255.0.0");

        AttributePayload request = decrypt().get(21).first(AttributePayload.class).orElseThrow();
        assertThat(request.cfgType()).isEqualTo(ConfigType.ISAKMP_CFG_REQUEST);
        assertThat(request.attributes()).allSatisfy(a -> assertThat(a.tv() || a.length() >= 0).isTrue());
        assertThat(request.attribute(ConfigAttribute.INTERNAL_IP4_ADDRESS).orElseThrow().length()).isZero();

        AttributePayload xauth = decrypt().get(18).first(AttributePayload.class).orElseThrow();
        assertThat(xauth.cfgType()).isEqualTo(ConfigType.ISAKMP_CFG_REPLY);
        assertThat(xauth.attribute(ConfigAttribute.XAUTH_USER_NAME).orElseThrow().text()).isEqualTo("gfullage");
        assertThat(xauth.attribute(ConfigAttribute.XAUTH_USER_PASSWORD).orElseThrow().text()).isEqualTo("labpass1");
    }

    // ---------------------------------------------------------------- opening the encrypted messages

    private static Map<Integer, byte[]> decryptedBytes;
    private static Map<Integer, PayloadChain> decrypted;

    /**
     * Decrypts every encrypted frame (3DES-CBC, Ka as logged). IVs per RFC 2409 Appendix B: phase 1 continues from
     * the logged initial IV; a new message ID starts from hash(last phase 1 block | M-ID); later messages of the same
     * exchange continue from the previous message's last block.
     */
    private static synchronized Map<Integer, PayloadChain> decrypt() throws Exception {
        if (decrypted != null) {
            return decrypted;
        }
        decryptedBytes = new java.util.TreeMap<>();
        decrypted = new java.util.TreeMap<>();
        openSa("<3>", new int[] {5, 6}, new int[][] {{7, 8, 9}});
        openSa("<ra|4>", new int[] {16}, new int[][] {{17, 18}, {19, 20}, {21, 22}, {23, 24, 25}});
        return decrypted;
    }

    private static void openSa(String tag, int[] phase1, int[][] exchanges) throws Exception {
        byte[] ka = SeedVectors.logged(log, tag, "encryption key Ka");
        byte[] iv = SeedVectors.logged(log, tag, "initial IV");
        for (int frame : phase1) {
            iv = open(frame, ka, iv);
        }
        byte[] phase1LastBlock = iv;
        for (int[] exchange : exchanges) {
            int messageId = IsakmpCodec.decodeHeader(frames.get(exchange[0]).isakmp()).messageId();
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(phase1LastBlock);
            sha1.update(ByteBuffer.allocate(4).putInt(messageId).array());
            byte[] exchangeIv = Arrays.copyOf(sha1.digest(), 8);
            for (int frame : exchange) {
                exchangeIv = open(frame, ka, exchangeIv);
            }
        }
    }

    private static byte[] open(int frame, byte[] ka, byte[] iv) throws Exception {
        EncryptedMessage m = (EncryptedMessage) IsakmpCodec.decode(frames.get(frame).isakmp());
        Cipher c = Cipher.getInstance("DESede/CBC/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(ka, "DESede"), new IvParameterSpec(iv));
        byte[] plain = c.doFinal(m.body());
        decryptedBytes.put(frame, plain);
        decrypted.put(frame, IsakmpCodec.decodePayloads(m.header().nextPayload(), plain));
        return m.lastBlock(8);
    }
}
