package dev.vpnrouter.ike.crypto;

import static dev.vpnrouter.ike.crypto.IsakmpMessage.HASH;
import static dev.vpnrouter.ike.crypto.IsakmpMessage.NONCE;
import static dev.vpnrouter.ike.crypto.IsakmpMessage.SA;
import static dev.vpnrouter.ike.crypto.IsakmpMessage.first;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vpnrouter.common.Hex;
import dev.vpnrouter.common.Ipv4;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Steps shared by the Main Mode and Aggressive Mode known-answer tests. */
final class KatSupport {
    private KatSupport() {
    }

    /** One decrypted captured message: its header, plaintext body and payloads. */
    record Opened(IsakmpMessage message, byte[] plaintext, List<IsakmpMessage.Payload> payloads) {
        byte[] body(int type) {
            return first(payloads, type).body();
        }

        byte[] afterHash() {
            return IsakmpMessage.afterHash(payloads, plaintext);
        }
    }

    /**
     * Decrypts the frames of one exchange in order, checking the IV chain against the log's "next IV for MID n"
     * dumps (strongSwan logs the exchange's first IV, then the IV after each message). Returns the messages
     * and leaves the chain after the last one in {@code end[0]}.
     */
    static List<Opened> openExchange(SeedCapture cap, int sa, IkeSaKeys keys, IvChain start, IvChain[] end,
            int... frames) throws CryptoException {
        List<byte[]> expectedIvs = new ArrayList<>();
        IvChain chain = start;
        expectedIvs.add(chain.iv());
        List<Opened> out = new ArrayList<>();
        int mid = cap.message(frames[0]).messageId();
        for (int frame : frames) {
            IsakmpMessage m = cap.message(frame);
            assertThat(m.messageId()).as("frame %d message id", frame).isEqualTo(mid);
            assertThat(m.encrypted()).as("frame %d encrypted", frame).isTrue();
            IkeSaKeys.Decrypted d = keys.decrypt(chain, m.body());
            out.add(new Opened(m, d.plaintext(), m.payloads(d.plaintext())));
            chain = d.next();
            expectedIvs.add(chain.iv());
        }
        end[0] = chain;
        String label = "next IV for MID " + Integer.toUnsignedString(mid);
        List<byte[]> logged = cap.log.all(sa, label);
        if (mid == 0) {
            // Phase 1: the first IV is logged as "initial IV" instead.
            assertThat(hex(cap.log.get(sa, "initial IV"))).isEqualTo(hex(expectedIvs.getFirst()));
            expectedIvs.removeFirst();
        }
        assertThat(logged.stream().map(KatSupport::hex).toList()).as(label)
                .isEqualTo(expectedIvs.stream().map(KatSupport::hex).toList());
        return out;
    }

    /** Checks Quick Mode HASH(1), HASH(2), HASH(3) against the payloads and the log; returns Ni_b and Nr_b. */
    static byte[][] checkQuickModeHashes(CharonLog log, int sa, IkeSaKeys keys, List<Opened> qm) {
        int mid = qm.getFirst().message().messageId();
        byte[] ni = qm.get(0).body(NONCE);
        byte[] nr = qm.get(1).body(NONCE);
        byte[] hash1 = keys.quickModeHash1(mid, qm.get(0).afterHash());
        byte[] hash2 = keys.quickModeHash2(mid, ni, qm.get(1).afterHash());
        byte[] hash3 = keys.quickModeHash3(mid, ni, nr);
        assertThat(hex(hash1)).isEqualTo(hex(log.get(sa, "Hash(1)"))).isEqualTo(hex(qm.get(0).body(HASH)));
        assertThat(hex(hash2)).isEqualTo(hex(log.get(sa, "Hash(2)"))).isEqualTo(hex(qm.get(1).body(HASH)));
        assertThat(hex(hash3)).isEqualTo(hex(log.get(sa, "Hash(3)"))).isEqualTo(hex(qm.get(2).body(HASH)));
        return new byte[][] {ni, nr};
    }

    /**
     * Checks KEYMAT for both ESP SAs of a Quick Mode: strongSwan's "initiator" keys protect traffic from the
     * initiator, so they use the SPI the responder chose (in the responder's SA payload), and vice versa.
     */
    static void checkKeymat(CharonLog log, int sa, IkeSaKeys keys, List<Opened> qm, byte[] ni, byte[] nr) {
        byte[] initiatorSpi = spi(qm.get(0).body(SA));
        byte[] responderSpi = spi(qm.get(1).body(SA));
        int protocol = qm.get(0).body(SA)[8 + 5];
        assertThat(protocol).isEqualTo(3); // ESP
        assertThat(hex(log.get(sa, "initiator SA seed")))
                .isEqualTo(hex(Bytes.concat(new byte[] {3}, responderSpi, ni, nr)));
        assertThat(hex(log.get(sa, "responder SA seed")))
                .isEqualTo(hex(Bytes.concat(new byte[] {3}, initiatorSpi, ni, nr)));
        byte[] forInitiator = keys.keymat(3, responderSpi, ni, nr, null, 24 + 20);
        byte[] forResponder = keys.keymat(3, initiatorSpi, ni, nr, null, 24 + 20);
        assertThat(hex(Arrays.copyOfRange(forInitiator, 0, 24))).isEqualTo(hex(log.get(sa, "encryption initiator key")));
        assertThat(hex(Arrays.copyOfRange(forInitiator, 24, 44))).isEqualTo(hex(log.get(sa, "integrity initiator key")));
        assertThat(hex(Arrays.copyOfRange(forResponder, 0, 24))).isEqualTo(hex(log.get(sa, "encryption responder key")));
        assertThat(hex(Arrays.copyOfRange(forResponder, 24, 44))).isEqualTo(hex(log.get(sa, "integrity responder key")));
    }

    /** The SPI of the first proposal in an SA payload body (DOI, situation, then the proposal payload). */
    static byte[] spi(byte[] saBody) {
        int spiSize = saBody[8 + 6] & 0xff;
        return Arrays.copyOfRange(saBody, 8 + 8, 8 + 8 + spiSize);
    }

    /**
     * Every logged natd_chunk must be CKY-I | CKY-R | IP | port of this SA, and its logged natd_hash must be
     * what NatDetection computes from those parts.
     */
    static int checkLoggedNatD(CharonLog log, int sa, byte[] icky, byte[] rcky) {
        List<byte[]> chunks = log.all(sa, "natd_chunk");
        List<byte[]> hashes = log.all(sa, "natd_hash");
        assertThat(chunks).hasSameSizeAs(hashes).isNotEmpty();
        for (int i = 0; i < chunks.size(); i++) {
            byte[] c = chunks.get(i);
            assertThat(c).hasSize(22);
            assertThat(hex(Arrays.copyOfRange(c, 0, 8))).isEqualTo(hex(icky));
            assertThat(hex(Arrays.copyOfRange(c, 8, 16))).isEqualTo(hex(rcky));
            int ip = ((c[16] & 0xff) << 24) | ((c[17] & 0xff) << 16) | ((c[18] & 0xff) << 8) | (c[19] & 0xff);
            int port = ((c[20] & 0xff) << 8) | (c[21] & 0xff);
            assertThat(hex(NatDetection.hash(HashAlgorithm.SHA1, icky, rcky, ip, port)))
                    .as("natd_hash #%d for %s:%d", i, Ipv4.format(ip), port).isEqualTo(hex(hashes.get(i)));
        }
        return chunks.size();
    }

    /** A Delete payload (RFC 2408 §3.15), last in its message, for one SPI. */
    static byte[] deletePayload(int protocol, byte[] spi) {
        int length = 12 + spi.length;
        return Bytes.concat(new byte[] {0, 0, 0, (byte) length, 0, 0, 0, 1, (byte) protocol, (byte) spi.length, 0, 1},
                spi);
    }

    static int ipv4(String endpoint) {
        return Ipv4.parse(endpoint.substring(0, endpoint.indexOf(':')));
    }

    static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.indexOf(':') + 1));
    }

    static String hex(byte[] b) {
        return Hex.of(b);
    }
}
