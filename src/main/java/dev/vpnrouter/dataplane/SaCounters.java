package dev.vpnrouter.dataplane;

import dev.vpnrouter.esp.EspCounters;
import dev.vpnrouter.esp.EspDropReason;

/**
 * The packet counters {@code show crypto ipsec sa} prints for an SA pair (or summed over the SAs of one flow),
 * under IOS's names. {@code pktsDecaps} counts packets delivered to the inside: it excludes packets that
 * decrypted but carried addresses outside the proxy identities ({@code invalidIdentity}, also in
 * {@code recvErrors}).
 */
public record SaCounters(
        long pktsEncaps, long pktsEncrypt, long pktsDigest,
        long pktsDecaps, long pktsDecrypt, long pktsVerify,
        long sendErrors, long recvErrors,
        long replayFailures, long verifyFailures, long invalidIdentity,
        long bytesOut, long bytesIn) {

    public static final SaCounters ZERO = new SaCounters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    static SaCounters of(EspCounters out, EspCounters in) {
        long invalid = in.drops(EspDropReason.INVALID_IDENTITY);
        return new SaCounters(out.pktsEncaps(), out.pktsEncrypt(), out.pktsDigest(),
                in.pktsDecaps() - invalid, in.pktsDecrypt(), in.pktsVerify(),
                out.sendErrors(), in.recvErrors(), in.replayFailures(), in.authFailures(), invalid,
                out.bytes(), in.bytes());
    }

    public SaCounters plus(SaCounters o) {
        return new SaCounters(pktsEncaps + o.pktsEncaps, pktsEncrypt + o.pktsEncrypt, pktsDigest + o.pktsDigest,
                pktsDecaps + o.pktsDecaps, pktsDecrypt + o.pktsDecrypt, pktsVerify + o.pktsVerify,
                sendErrors + o.sendErrors, recvErrors + o.recvErrors, replayFailures + o.replayFailures,
                verifyFailures + o.verifyFailures, invalidIdentity + o.invalidIdentity, bytesOut + o.bytesOut,
                bytesIn + o.bytesIn);
    }

    /** The counter lines as the seed's {@code show crypto ipsec sa} prints them. */
    public String ios() {
        return "    #pkts encaps: " + pktsEncaps + ", #pkts encrypt: " + pktsEncrypt + ", #pkts digest: " + pktsDigest
                + "\n    #pkts decaps: " + pktsDecaps + ", #pkts decrypt: " + pktsDecrypt + ", #pkts verify: "
                + pktsVerify
                + "\n    #pkts compressed: 0, #pkts decompressed: 0"
                + "\n    #pkts not compressed: 0, #pkts compr. failed: 0, #pkts decompress failed: 0"
                + "\n    #send errors " + sendErrors + ", #recv errors " + recvErrors;
    }
}
