package dev.vpnrouter.ike.crypto;

import static dev.vpnrouter.ike.crypto.IsakmpMessage.HASH;
import static dev.vpnrouter.ike.crypto.IsakmpMessage.ID;
import static dev.vpnrouter.ike.crypto.IsakmpMessage.KE;
import static dev.vpnrouter.ike.crypto.IsakmpMessage.NAT_D;
import static dev.vpnrouter.ike.crypto.IsakmpMessage.NONCE;
import static dev.vpnrouter.ike.crypto.IsakmpMessage.NOTIFY;
import static dev.vpnrouter.ike.crypto.IsakmpMessage.SA;
import static dev.vpnrouter.ike.crypto.IsakmpMessage.all;
import static dev.vpnrouter.ike.crypto.IsakmpMessage.first;
import static dev.vpnrouter.ike.crypto.KatSupport.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vpnrouter.common.Hex;
import dev.vpnrouter.common.Ipv4;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The seed spoke's Main Mode + Quick Mode with the strongSwan hub (IKE SA 3 in the hub's log): 3DES, SHA1,
 * modp1024, pre-shared key cisco123. Inputs come from the capture, expected values from the hub's log.
 */
class SpokeMainModeKatTest {
    private static final int IKE_SA = 3;

    private final SeedCapture cap = new SeedCapture();
    private final CharonLog log = cap.log;
    private final IsakmpMessage mm1 = cap.message(1);
    private final IsakmpMessage mm3 = cap.message(3);
    private final IsakmpMessage mm4 = cap.message(4);
    private final byte[] icky = mm1.initiatorCookie();
    private final byte[] rcky = mm4.responderCookie();
    private final byte[] saiB = first(mm1.payloads(), SA).body();
    private final byte[] gxi = first(mm3.payloads(), KE).body();
    private final byte[] ni = first(mm3.payloads(), NONCE).body();
    private final byte[] gxr = first(mm4.payloads(), KE).body();
    private final byte[] nr = first(mm4.payloads(), NONCE).body();
    private final byte[] gxy = log.get(IKE_SA, "shared Diffie Hellman secret");
    private final IkeSaKeys keys = IkeSaKeys.fromPreSharedKey(Prf.hmac(HashAlgorithm.SHA1), HashAlgorithm.SHA1,
            JceCbcCipher.TRIPLE_DES_CBC, "cisco123".getBytes(StandardCharsets.US_ASCII), ni, nr, gxy, icky, rcky);

    @Test
    void payloadWalkAgreesWithTsharkDecoding() {
        assertThat(hex(icky)).isEqualTo(cap.field(1, "ispi"));
        assertThat(hex(rcky)).isEqualTo(cap.field(4, "rspi"));
        assertThat(hex(gxi)).isEqualTo(cap.field(3, "key_exchange"));
        assertThat(hex(ni)).isEqualTo(cap.field(3, "nonce"));
        assertThat(hex(gxr)).isEqualTo(cap.field(4, "key_exchange"));
        assertThat(hex(nr)).isEqualTo(cap.field(4, "nonce"));
    }

    @Test
    void publicValuesAreValidModp1024Elements() throws CryptoException {
        ModpGroup.MODP_1024.validatePublicValue(gxi);
        ModpGroup.MODP_1024.validatePublicValue(gxr);
        assertThat(gxy).hasSize(ModpGroup.MODP_1024.sharedSecretLength());
    }

    @Test
    void derivesEveryLoggedPhase1Key() {
        assertThat(hex(keys.skeyid())).isEqualTo(hex(log.get(IKE_SA, "SKEYID")));
        assertThat(hex(keys.skeyidD())).isEqualTo(hex(log.get(IKE_SA, "SKEYID_d")));
        assertThat(hex(keys.skeyidA())).isEqualTo(hex(log.get(IKE_SA, "SKEYID_a")));
        assertThat(hex(keys.skeyidE())).isEqualTo(hex(log.get(IKE_SA, "SKEYID_e")));
        // 3DES needs 24 bytes but SHA1 gives 20: Ka comes from the Appendix B expansion.
        assertThat(hex(keys.encryptionKey())).isEqualTo(hex(log.get(IKE_SA, "encryption key Ka")));
        assertThat(hex(keys.phase1Iv(gxi, gxr).iv())).isEqualTo(hex(log.get(IKE_SA, "initial IV")));
    }

    @Test
    void decryptsMm5AndMm6AndReproducesHashIAndHashR() throws CryptoException {
        IvChain[] end = new IvChain[1];
        List<KatSupport.Opened> mm = KatSupport.openExchange(cap, IKE_SA, keys, keys.phase1Iv(gxi, gxr), end, 5, 6);
        KatSupport.Opened mm5 = mm.get(0);
        KatSupport.Opened mm6 = mm.get(1);

        // MM5 is a sane ID | HASH | N(INITIAL-CONTACT): ID_IPV4_ADDR of the spoke's address.
        assertThat(mm5.payloads().stream().map(IsakmpMessage.Payload::type)).containsExactly(ID, HASH, NOTIFY);
        byte[] idii = mm5.body(ID);
        assertThat(hex(idii)).isEqualTo("01000000" + hex(Bytes.int32(KatSupport.ipv4(cap.field(5, "from")))));

        byte[] hashI = keys.hashI(gxi, gxr, saiB, idii);
        assertThat(hex(hashI)).isEqualTo(hex(log.get(IKE_SA, "HASH_I"))).isEqualTo(hex(mm5.body(HASH)));
        assertThat(hex(log.get(IKE_SA, "HASH_I data")))
                .isEqualTo(hex(Bytes.concat(gxi, gxr, icky, rcky, saiB, idii)));

        assertThat(mm6.payloads().stream().map(IsakmpMessage.Payload::type)).containsExactly(ID, HASH);
        byte[] idir = mm6.body(ID);
        assertThat(hex(idir)).isEqualTo("01000000" + hex(Bytes.int32(Ipv4.parse("203.0.113.2"))));
        byte[] hashR = keys.hashR(gxi, gxr, saiB, idir);
        assertThat(hex(hashR)).isEqualTo(hex(log.get(IKE_SA, "HASH_R"))).isEqualTo(hex(mm6.body(HASH)));
        assertThat(hex(log.get(IKE_SA, "HASH_R data")))
                .isEqualTo(hex(Bytes.concat(gxr, gxi, rcky, icky, saiB, idir)));
    }

    @Test
    void reEncryptingTheChainReproducesTheCapturedCiphertextWithItsPadding() throws CryptoException {
        IvChain chain = keys.phase1Iv(gxi, gxr);
        for (int frame : new int[] {5, 6}) {
            IsakmpMessage m = cap.message(frame);
            IkeSaKeys.Decrypted d = keys.decrypt(chain, m.body());
            byte[] unpadded = Arrays.copyOf(d.plaintext(), IsakmpMessage.chainLength(m.payloads(d.plaintext())));
            IkeSaKeys.Encrypted e = keys.encrypt(chain, unpadded);
            assertThat(hex(e.ciphertext())).as("frame %d", frame).isEqualTo(hex(m.body()));
            assertThat(e.next()).isEqualTo(d.next());
            chain = e.next();
        }
    }

    @Test
    void quickModeHashesIvsAndKeymatMatchTheLog() throws CryptoException {
        IvChain[] end = new IvChain[1];
        KatSupport.openExchange(cap, IKE_SA, keys, keys.phase1Iv(gxi, gxr), end, 5, 6);
        IvChain phase1Final = end[0];
        int mid = cap.message(7).messageId();
        assertThat(Integer.toUnsignedString(mid)).isEqualTo("280973191");

        List<KatSupport.Opened> qm = KatSupport.openExchange(cap, IKE_SA, keys, keys.messageIv(phase1Final, mid), end,
                7, 8, 9);
        byte[][] nonces = KatSupport.checkQuickModeHashes(log, IKE_SA, keys, qm);
        KatSupport.checkKeymat(log, IKE_SA, keys, qm, nonces[0], nonces[1]);
    }

    @Test
    void natDetectionHashesMatchTheLogAndTheCapture() {
        assertThat(KatSupport.checkLoggedNatD(log, IKE_SA, icky, rcky)).isEqualTo(3);
        // The first NAT-D of each side hashes the receiver's address: both sides saw each other unchanged.
        // (The second, the sender's own address, is deliberately bogus: both peers force NAT-T with encap=yes.)
        String spoke = cap.field(3, "from");
        String hub = cap.field(3, "to");
        byte[] toHub = NatDetection.hash(HashAlgorithm.SHA1, icky, rcky, KatSupport.ipv4(hub), KatSupport.port(hub));
        byte[] toSpoke = NatDetection.hash(HashAlgorithm.SHA1, icky, rcky, KatSupport.ipv4(spoke),
                KatSupport.port(spoke));
        assertThat(hex(all(mm3.payloads(), NAT_D).getFirst().body())).isEqualTo(hex(toHub));
        assertThat(hex(all(mm4.payloads(), NAT_D).getFirst().body())).isEqualTo(hex(toSpoke));
        assertThat(cap.field(3, "nat_hash")).startsWith(hex(toHub));
    }

    @Test
    void informationalDeleteHashesMatchTheLog() {
        // At shutdown the hub deleted the ESP SA (its inbound SPI e54d6660) and then the IKE SA; those
        // messages are not in the capture, but their HASH(1) is logged and their Delete payloads are fixed.
        List<byte[]> hashes = log.all(IKE_SA, "Hash");
        assertThat(hashes).hasSize(2);
        byte[] espDelete = KatSupport.deletePayload(3, Hex.decode("e54d6660"));
        byte[] ikeDelete = KatSupport.deletePayload(1, Bytes.concat(icky, rcky));
        assertThat(hex(keys.informationalHash((int) 1863239045L, espDelete))).isEqualTo(hex(hashes.get(0)));
        assertThat(hex(keys.informationalHash((int) 3469297440L, ikeDelete))).isEqualTo(hex(hashes.get(1)));
    }
}
