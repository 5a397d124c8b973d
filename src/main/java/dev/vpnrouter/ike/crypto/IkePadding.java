package dev.vpnrouter.ike.crypto;

import java.util.Arrays;

/**
 * Padding of an ISAKMP body before CBC encryption.
 *
 * <p>RFC 2408 says only that the body is padded to the cipher's block size and that the header's length
 * covers the padding; what the padding contains is not specified, and receivers find the end of the body from
 * the payload chain. (The "zeros, last byte = count" rule of RFC 2409 §5.3 is for the Ke_i-encrypted payloads of
 * the revised public-key mode only.) strongSwan, as the seed capture shows, appends 1 to blockSize zero bytes,
 * i.e. a whole block of zeros when the body is already aligned. We do the same: zero bytes also read as a
 * harmless count of zero for a receiver that applies §5.3's rule.
 */
public final class IkePadding {
    private IkePadding() {
    }

    /** {@code body} followed by 1..blockSize zero bytes, making a whole number of blocks. */
    public static byte[] pad(byte[] body, int blockSize) {
        if (blockSize <= 0) {
            throw new IllegalArgumentException("block size " + blockSize);
        }
        int padding = blockSize - body.length % blockSize;
        return Arrays.copyOf(body, body.length + padding);
    }
}
