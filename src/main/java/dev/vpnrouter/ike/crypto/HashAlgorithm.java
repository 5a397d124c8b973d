package dev.vpnrouter.ike.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The phase-1 hash algorithms (RFC 2409 Appendix A, attribute class 2 "Hash Algorithm"; SHA-2 values from
 * the IANA registry). IKEv1 uses the negotiated hash directly for the phase-1 IV, the phase-2 IVs and the
 * NAT-D hashes, and as HMAC for the PRF when no PRF attribute is negotiated (always, in practice).
 */
public enum HashAlgorithm {
    MD5(1, "MD5", 16, "md5"),
    SHA1(2, "SHA-1", 20, "sha"),
    SHA2_256(4, "SHA-256", 32, "sha256"),
    SHA2_384(5, "SHA-384", 48, "sha384"),
    SHA2_512(6, "SHA-512", 64, "sha512");

    private final int ikeId;
    private final String jceName;
    private final int outputLength;
    private final String iosName;

    HashAlgorithm(int ikeId, String jceName, int outputLength, String iosName) {
        this.ikeId = ikeId;
        this.jceName = jceName;
        this.outputLength = outputLength;
        this.iosName = iosName;
    }

    /** The value of the Hash Algorithm attribute in a phase-1 transform. */
    public int ikeId() {
        return ikeId;
    }

    /** Digest size in bytes. */
    public int outputLength() {
        return outputLength;
    }

    /** The keyword IOS uses in {@code crypto isakmp policy} ({@code hash sha256}). */
    public String iosName() {
        return iosName;
    }

    /** The HMAC PRF built on this hash. */
    public Prf prf() {
        return HmacPrf.of(this);
    }

    /** Hash of the concatenation of {@code parts}. */
    public byte[] digest(byte[]... parts) {
        MessageDigest md = newDigest();
        for (byte[] part : parts) {
            md.update(part);
        }
        return md.digest();
    }

    MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(jceName);
        } catch (NoSuchAlgorithmException e) {
            // Every JDK must provide these digests.
            throw new IllegalStateException("JDK lacks " + jceName, e);
        }
    }

    public static Optional<HashAlgorithm> fromIkeId(int id) {
        for (HashAlgorithm h : values()) {
            if (h.ikeId == id) {
                return Optional.of(h);
            }
        }
        return Optional.empty();
    }
}
