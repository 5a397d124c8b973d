package dev.vpnrouter.ike.crypto;

import static dev.vpnrouter.ike.crypto.IsakmpMessage.HASH;
import static dev.vpnrouter.ike.crypto.IsakmpMessage.ID;
import static dev.vpnrouter.ike.crypto.IsakmpMessage.KE;
import static dev.vpnrouter.ike.crypto.IsakmpMessage.NAT_D;
import static dev.vpnrouter.ike.crypto.IsakmpMessage.NONCE;
import static dev.vpnrouter.ike.crypto.IsakmpMessage.SA;
import static dev.vpnrouter.ike.crypto.IsakmpMessage.all;
import static dev.vpnrouter.ike.crypto.IsakmpMessage.first;
import static dev.vpnrouter.ike.crypto.KatSupport.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vpnrouter.common.Hex;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * vpnc's Aggressive Mode with the strongSwan hub (IKE SA 4 in the hub's log): group key cisco321, ID_KEY_ID
 * testgroup, 3DES/SHA1/modp1024, then Xauth and Mode Config (Transaction exchanges), Quick Mode.
 */
class VpncAggressiveModeKatTest {
    private static final int IKE_SA = 4;

    private final SeedCapture cap = new SeedCapture();
    private final CharonLog log = cap.log;
    private final IsakmpMessage am1 = cap.message(14);
    private final IsakmpMessage am2 = cap.message(15);
    private final byte[] icky = am1.initiatorCookie();
    private final byte[] rcky = am2.responderCookie();
    private final byte[] saiB = first(am1.payloads(), SA).body();
    private final byte[] gxi = first(am1.payloads(), KE).body();
    private final byte[] ni = first(am1.payloads(), NONCE).body();
    private final byte[] idii = first(am1.payloads(), ID).body();
    private final byte[] gxr = first(am2.payloads(), KE).body();
    private final byte[] nr = first(am2.payloads(), NONCE).body();
    private final byte[] idir = first(am2.payloads(), ID).body();
    private final byte[] gxy = log.get(IKE_SA, "shared Diffie Hellman secret");
    private final IkeSaKeys keys = IkeSaKeys.fromPreSharedKey(HmacPrf.HMAC_SHA1, HashAlgorithm.SHA1,
            JceCbcCipher.TRIPLE_DES_CBC, "cisco321".getBytes(StandardCharsets.US_ASCII), ni, nr, gxy, icky, rcky);

    @Test
    void payloadWalkAgreesWithTsharkDecoding() throws CryptoException {
        assertThat(hex(gxi)).isEqualTo(cap.field(14, "key_exchange"));
        assertThat(hex(ni)).isEqualTo(cap.field(14, "nonce"));
        assertThat(hex(gxr)).isEqualTo(cap.field(15, "key_exchange"));
        assertThat(hex(nr)).isEqualTo(cap.field(15, "nonce"));
        // ID_KEY_ID, UDP, port 500, "testgroup"
        assertThat(hex(idii)).isEqualTo("0b1101f4" + hex("testgroup".getBytes(StandardCharsets.US_ASCII)));
        ModpGroup.MODP_1024.validatePublicValue(gxi);
        ModpGroup.MODP_1024.validatePublicValue(gxr);
    }

    @Test
    void derivesEveryLoggedPhase1Key() {
        assertThat(hex(keys.skeyid())).isEqualTo(hex(log.get(IKE_SA, "SKEYID")));
        assertThat(hex(keys.skeyidD())).isEqualTo(hex(log.get(IKE_SA, "SKEYID_d")));
        assertThat(hex(keys.skeyidA())).isEqualTo(hex(log.get(IKE_SA, "SKEYID_a")));
        assertThat(hex(keys.skeyidE())).isEqualTo(hex(log.get(IKE_SA, "SKEYID_e")));
        assertThat(hex(keys.encryptionKey())).isEqualTo(hex(log.get(IKE_SA, "encryption key Ka")));
        assertThat(hex(keys.phase1Iv(gxi, gxr).iv())).isEqualTo(hex(log.get(IKE_SA, "initial IV")));
    }

    @Test
    void hashRInTheClearSecondMessageAndHashIInTheEncryptedThird() throws CryptoException {
        byte[] hashR = keys.hashR(gxi, gxr, saiB, idir);
        assertThat(hex(hashR)).isEqualTo(hex(log.get(IKE_SA, "HASH_R")))
                .isEqualTo(hex(first(am2.payloads(), HASH).body()));

        IvChain[] end = new IvChain[1];
        List<KatSupport.Opened> am3 = KatSupport.openExchange(cap, IKE_SA, keys, keys.phase1Iv(gxi, gxr), end, 16);
        byte[] hashI = keys.hashI(gxi, gxr, saiB, idii);
        assertThat(hex(hashI)).isEqualTo(hex(log.get(IKE_SA, "HASH_I"))).isEqualTo(hex(am3.getFirst().body(HASH)));
    }

    @Test
    void transactionAndQuickModeExchangesUseTheirOwnIvsAndHashes() throws CryptoException {
        IvChain[] end = new IvChain[1];
        KatSupport.openExchange(cap, IKE_SA, keys, keys.phase1Iv(gxi, gxr), end, 16);
        IvChain phase1Final = end[0];

        // Xauth request/reply, Xauth status/ack, Mode Config request/reply: HASH = prf(SKEYID_a, M-ID | rest).
        List<byte[]> computed = new ArrayList<>();
        for (int[] exchange : new int[][] {{17, 18}, {19, 20}, {21, 22}}) {
            int mid = cap.message(exchange[0]).messageId();
            for (KatSupport.Opened m : KatSupport.openExchange(cap, IKE_SA, keys, keys.messageIv(phase1Final, mid),
                    end, exchange)) {
                byte[] hash = keys.informationalHash(mid, m.afterHash());
                assertThat(hex(hash)).isEqualTo(hex(m.body(HASH)));
                computed.add(hash);
            }
        }
        assertThat(computed.stream().map(KatSupport::hex))
                .isEqualTo(log.all(IKE_SA, "Hash").subList(0, 6).stream().map(KatSupport::hex).toList());

        int qmId = cap.message(23).messageId();
        List<KatSupport.Opened> qm = KatSupport.openExchange(cap, IKE_SA, keys, keys.messageIv(phase1Final, qmId),
                end, 23, 24, 25);
        byte[][] nonces = KatSupport.checkQuickModeHashes(log, IKE_SA, keys, qm);
        assertThat(nonces[0]).hasSize(20); // vpnc's nonces are shorter than strongSwan's 32
        KatSupport.checkKeymat(log, IKE_SA, keys, qm, nonces[0], nonces[1]);
    }

    @Test
    void natDetectionHashesMatchTheLogAndShowTheNat() {
        assertThat(KatSupport.checkLoggedNatD(log, IKE_SA, icky, rcky)).isEqualTo(3);
        // The hub's first NAT-D in AM2 hashes vpnc's address as the hub sees it (the NAT's 192.0.2.2:500).
        String client = cap.field(15, "to");
        byte[] toClient = NatDetection.hash(HashAlgorithm.SHA1, icky, rcky, KatSupport.ipv4(client),
                KatSupport.port(client));
        assertThat(hex(all(am2.payloads(), NAT_D).getFirst().body())).isEqualTo(hex(toClient));
    }

    @Test
    void informationalDeleteHashesMatchTheLog() {
        List<byte[]> hashes = log.all(IKE_SA, "Hash");
        assertThat(hashes).hasSize(8);
        byte[] espDelete = KatSupport.deletePayload(3, Hex.decode("6a8113aa"));
        byte[] ikeDelete = KatSupport.deletePayload(1, Bytes.concat(icky, rcky));
        assertThat(hex(keys.informationalHash((int) 2821009677L, espDelete))).isEqualTo(hex(hashes.get(6)));
        assertThat(hex(keys.informationalHash((int) 2048171706L, ikeDelete))).isEqualTo(hex(hashes.get(7)));
    }
}
