package dev.vpnrouter.ike.crypto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test-only view of a captured ISAKMP message: the 28-byte header and a walk of the generic payload chain.
 * (The real codec lives in ike.wire; these tests need only payload boundaries.)
 */
record IsakmpMessage(byte[] initiatorCookie, byte[] responderCookie, int firstPayload, int exchangeType, int flags,
        int messageId, byte[] body) {

    static final int SA = 1;
    static final int KE = 4;
    static final int ID = 5;
    static final int HASH = 8;
    static final int NONCE = 10;
    static final int NOTIFY = 11;
    static final int NAT_D = 20;

    /** One payload: its type, its offset in the body and its bytes including the generic header. */
    record Payload(int type, int offset, byte[] raw) {
        byte[] body() {
            return Arrays.copyOfRange(raw, 4, raw.length);
        }
    }

    static IsakmpMessage parse(byte[] raw) {
        int length = u32(raw, 24);
        if (length != raw.length) {
            throw new IllegalArgumentException("header length " + length + " but " + raw.length + " bytes");
        }
        return new IsakmpMessage(Arrays.copyOfRange(raw, 0, 8), Arrays.copyOfRange(raw, 8, 16), raw[16] & 0xff,
                raw[18] & 0xff, raw[19] & 0xff, u32(raw, 20), Arrays.copyOfRange(raw, 28, raw.length));
    }

    boolean encrypted() {
        return (flags & 1) != 0;
    }

    /** Walks the payload chain of a (decrypted) body; trailing padding is left out. */
    List<Payload> payloads(byte[] plainBody) {
        List<Payload> out = new ArrayList<>();
        int type = firstPayload;
        int at = 0;
        while (type != 0) {
            int next = plainBody[at] & 0xff;
            int len = ((plainBody[at + 2] & 0xff) << 8) | (plainBody[at + 3] & 0xff);
            if (len < 4 || at + len > plainBody.length) {
                throw new IllegalArgumentException("bad payload length " + len + " at " + at);
            }
            out.add(new Payload(type, at, Arrays.copyOfRange(plainBody, at, at + len)));
            at += len;
            type = next;
        }
        return out;
    }

    List<Payload> payloads() {
        return payloads(body);
    }

    static Payload first(List<Payload> payloads, int type) {
        return payloads.stream().filter(p -> p.type() == type).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no payload of type " + type));
    }

    static List<Payload> all(List<Payload> payloads, int type) {
        return payloads.stream().filter(p -> p.type() == type).toList();
    }

    /** The bytes of every payload after the first HASH payload, up to the end of the chain (no padding). */
    static byte[] afterHash(List<Payload> payloads, byte[] plainBody) {
        Payload hash = first(payloads, HASH);
        Payload last = payloads.getLast();
        return Arrays.copyOfRange(plainBody, hash.offset() + hash.raw().length, last.offset() + last.raw().length);
    }

    /** Length of the payload chain (without padding). */
    static int chainLength(List<Payload> payloads) {
        Payload last = payloads.getLast();
        return last.offset() + last.raw().length;
    }

    private static int u32(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
