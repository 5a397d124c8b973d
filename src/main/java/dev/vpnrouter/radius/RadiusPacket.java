package dev.vpnrouter.radius;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A RADIUS packet (RFC 2865 3): code, identifier, the 16-byte authenticator and the attributes, with the
 * computations that bind them to the shared secret: the hidden User-Password (RFC 2865 5.2), the Response
 * Authenticator, the Accounting-Request Authenticator (RFC 2866 3) and the Message-Authenticator (RFC 3579 3.2).
 * Pure: no I/O, no randomness (the caller brings the Request Authenticator).
 */
public final class RadiusPacket {
    public static final int ACCESS_REQUEST = 1;
    public static final int ACCESS_ACCEPT = 2;
    public static final int ACCESS_REJECT = 3;
    public static final int ACCOUNTING_REQUEST = 4;
    public static final int ACCOUNTING_RESPONSE = 5;
    public static final int ACCESS_CHALLENGE = 11;

    public static final int HEADER = 20;
    public static final int MAX_LENGTH = 4096;
    /** RFC 2865 5.2: the password is at most 128 bytes, padded to a multiple of 16. */
    public static final int MAX_PASSWORD = 128;

    /** Whether a response is bound to its request by the shared secret. */
    public enum Verification { AUTHENTIC, BAD_RESPONSE_AUTHENTICATOR, BAD_MESSAGE_AUTHENTICATOR }

    private final int code;
    private final int identifier;
    private final byte[] authenticator;
    private final List<Attribute> attributes;

    public RadiusPacket(int code, int identifier, byte[] authenticator, List<Attribute> attributes) {
        if (authenticator.length != 16) {
            throw new IllegalArgumentException("authenticator of " + authenticator.length + " bytes");
        }
        this.code = code;
        this.identifier = identifier & 0xff;
        this.authenticator = authenticator.clone();
        this.attributes = List.copyOf(attributes);
    }

    public int code() {
        return code;
    }

    public int identifier() {
        return identifier;
    }

    public byte[] authenticator() {
        return authenticator.clone();
    }

    public List<Attribute> attributes() {
        return attributes;
    }

    /** The first attribute of {@code type}, or null. */
    public Attribute first(int type) {
        for (Attribute a : attributes) {
            if (a.type() == type) {
                return a;
            }
        }
        return null;
    }

    /** Every Cisco-AVPair ("ipsec:dns-servers=10.2.2.2"), in order. */
    public List<String> ciscoAvPairs() {
        List<String> out = new ArrayList<>();
        for (Attribute a : attributes) {
            byte[] v = a.value();
            if (a.type() == Attribute.VENDOR_SPECIFIC && v.length >= 6 && vendorId(v) == Attribute.VENDOR_CISCO
                    && (v[4] & 0xff) == Attribute.CISCO_AVPAIR && (v[5] & 0xff) == v.length - 4) {
                out.add(new String(v, 6, v.length - 6, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static int vendorId(byte[] v) {
        return ((v[0] & 0xff) << 24) | ((v[1] & 0xff) << 16) | ((v[2] & 0xff) << 8) | (v[3] & 0xff);
    }

    // ------------------------------------------------------------------ decoding

    /** Parses {@code length} bytes of {@code b}; anything malformed throws with the reason. */
    public static RadiusPacket decode(byte[] b, int length) throws RadiusDecodeException {
        if (length < HEADER) {
            throw new RadiusDecodeException("packet of " + length + " bytes, shorter than the 20-byte header");
        }
        int declared = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        if (declared < HEADER || declared > MAX_LENGTH) {
            throw new RadiusDecodeException("Length field " + declared + " outside 20-4096");
        }
        if (declared > length) {
            throw new RadiusDecodeException("Length field " + declared + " but only " + length + " bytes arrived");
        }
        // RFC 2865 3: octets beyond the Length field are padding and are ignored.
        List<Attribute> attributes = new ArrayList<>();
        for (int p = HEADER; p < declared; ) {
            if (declared - p < 2) {
                throw new RadiusDecodeException("attribute header cut at offset " + p);
            }
            int type = b[p] & 0xff;
            int alen = b[p + 1] & 0xff;
            if (alen < 2 || p + alen > declared) {
                throw new RadiusDecodeException("attribute " + type + " at offset " + p + " has length " + alen
                        + " with " + (declared - p) + " bytes left");
            }
            if (type == 0) {
                throw new RadiusDecodeException("attribute type 0 at offset " + p);
            }
            attributes.add(new Attribute(type, Arrays.copyOfRange(b, p + 2, p + alen)));
            p += alen;
        }
        return new RadiusPacket(b[0] & 0xff, b[1] & 0xff, Arrays.copyOfRange(b, 4, 20), attributes);
    }

    // ------------------------------------------------------------------ encoding

    /**
     * An Access-Request: Message-Authenticator first (so a forged response cannot be spliced onto it: the
     * "BlastRADIUS" advice), then {@code attributes}, with User-Password hidden under {@code requestAuthenticator}
     * inserted after User-Name when {@code password} is not null.
     */
    public static byte[] accessRequest(int identifier, byte[] requestAuthenticator, List<Attribute> attributes,
            byte[] password, byte[] secret) {
        List<Attribute> all = new ArrayList<>(attributes.size() + 2);
        all.add(new Attribute(Attribute.MESSAGE_AUTHENTICATOR, new byte[16]));
        boolean placed = password == null;
        for (Attribute a : attributes) {
            all.add(a);
            if (!placed && a.type() == Attribute.USER_NAME) {
                all.add(new Attribute(Attribute.USER_PASSWORD, hidePassword(password, secret, requestAuthenticator)));
                placed = true;
            }
        }
        if (!placed) {
            all.add(new Attribute(Attribute.USER_PASSWORD, hidePassword(password, secret, requestAuthenticator)));
        }
        byte[] out = encode(ACCESS_REQUEST, identifier, requestAuthenticator, all);
        signMessageAuthenticator(out, secret);
        return out;
    }

    /** An Accounting-Request, its authenticator MD5(packet with 16 zero bytes there, secret) (RFC 2866 3). */
    public static byte[] accountingRequest(int identifier, List<Attribute> attributes, byte[] secret) {
        byte[] out = encode(ACCOUNTING_REQUEST, identifier, new byte[16], attributes);
        System.arraycopy(md5(out, secret), 0, out, 4, 16);
        return out;
    }

    /**
     * A server's answer to the request with {@code requestAuthenticator}: a Message-Authenticator first for
     * Access-* answers, then the Response Authenticator over the whole. (What FreeRADIUS does; the lab's RADIUS
     * stand-in and the tests answer with it.)
     */
    public static byte[] response(int code, int identifier, byte[] requestAuthenticator, List<Attribute> attributes,
            byte[] secret) {
        List<Attribute> all = new ArrayList<>(attributes.size() + 1);
        boolean access = code != ACCOUNTING_RESPONSE;
        if (access) {
            all.add(new Attribute(Attribute.MESSAGE_AUTHENTICATOR, new byte[16]));
        }
        all.addAll(attributes);
        byte[] out = encode(code, identifier, requestAuthenticator, all);
        if (access) {
            signMessageAuthenticator(out, secret);
        }
        System.arraycopy(md5(out, secret), 0, out, 4, 16);
        return out;
    }

    private static byte[] encode(int code, int identifier, byte[] authenticator, List<Attribute> attributes) {
        int length = HEADER;
        for (Attribute a : attributes) {
            length += 2 + a.value().length;
        }
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("packet of " + length + " bytes, at most 4096");
        }
        byte[] out = new byte[length];
        out[0] = (byte) code;
        out[1] = (byte) identifier;
        out[2] = (byte) (length >>> 8);
        out[3] = (byte) length;
        System.arraycopy(authenticator, 0, out, 4, 16);
        int p = HEADER;
        for (Attribute a : attributes) {
            byte[] v = a.value();
            out[p] = (byte) a.type();
            out[p + 1] = (byte) (2 + v.length);
            System.arraycopy(v, 0, out, p + 2, v.length);
            p += 2 + v.length;
        }
        return out;
    }

    // ------------------------------------------------------------------ the shared secret's work

    /** RFC 2865 5.2: the password padded to 16-byte blocks, each XORed with MD5(secret + previous block). */
    public static byte[] hidePassword(byte[] password, byte[] secret, byte[] requestAuthenticator) {
        if (password.length > MAX_PASSWORD) {
            throw new IllegalArgumentException("password of " + password.length + " bytes, at most 128");
        }
        int blocks = Math.max(1, (password.length + 15) / 16);
        byte[] out = Arrays.copyOf(password, blocks * 16);
        byte[] previous = requestAuthenticator;
        for (int i = 0; i < blocks; i++) {
            byte[] b = md5(secret, previous);
            for (int j = 0; j < 16; j++) {
                out[i * 16 + j] ^= b[j];
            }
            previous = Arrays.copyOfRange(out, i * 16, i * 16 + 16);
        }
        return out;
    }

    /** The inverse of {@link #hidePassword}, trailing NULs removed; null when the value is not whole blocks. */
    public static byte[] revealPassword(byte[] hidden, byte[] secret, byte[] requestAuthenticator) {
        if (hidden.length == 0 || hidden.length % 16 != 0 || hidden.length > MAX_PASSWORD) {
            return null;
        }
        byte[] out = new byte[hidden.length];
        byte[] previous = requestAuthenticator;
        for (int i = 0; i < hidden.length / 16; i++) {
            byte[] b = md5(secret, previous);
            for (int j = 0; j < 16; j++) {
                out[i * 16 + j] = (byte) (hidden[i * 16 + j] ^ b[j]);
            }
            previous = Arrays.copyOfRange(hidden, i * 16, i * 16 + 16);
        }
        int end = out.length;
        while (end > 0 && out[end - 1] == 0) {
            end--;
        }
        return Arrays.copyOf(out, end);
    }

    /**
     * Checks a response ({@code length} bytes) against the request it answers: the Response Authenticator, and
     * the Message-Authenticator when there is one or {@code requireMessageAuthenticator}.
     */
    public static Verification verifyResponse(byte[] response, int length, byte[] requestAuthenticator,
            byte[] secret, boolean requireMessageAuthenticator) {
        int declared = ((response[2] & 0xff) << 8) | (response[3] & 0xff);
        byte[] copy = Arrays.copyOf(response, Math.min(declared, length));
        byte[] received = Arrays.copyOfRange(copy, 4, 20);
        System.arraycopy(requestAuthenticator, 0, copy, 4, 16);
        if (!MessageDigest.isEqual(received, md5(copy, secret))) {
            return Verification.BAD_RESPONSE_AUTHENTICATOR;
        }
        int at = messageAuthenticatorOffset(copy);
        if (at < 0) {
            return requireMessageAuthenticator ? Verification.BAD_MESSAGE_AUTHENTICATOR : Verification.AUTHENTIC;
        }
        byte[] mac = Arrays.copyOfRange(copy, at, at + 16);
        Arrays.fill(copy, at, at + 16, (byte) 0);
        return MessageDigest.isEqual(mac, hmacMd5(secret, copy)) ? Verification.AUTHENTIC
                : Verification.BAD_MESSAGE_AUTHENTICATOR;
    }

    /** Checks an Accounting-Request's authenticator (what a server does; the tests' stand-in uses it). */
    public static boolean accountingRequestAuthentic(byte[] request, int length, byte[] secret) {
        byte[] copy = Arrays.copyOf(request, length);
        byte[] received = Arrays.copyOfRange(copy, 4, 20);
        Arrays.fill(copy, 4, 20, (byte) 0);
        return MessageDigest.isEqual(received, md5(copy, secret));
    }

    /** Checks an Access-Request's Message-Authenticator (server side); false when it has none. */
    public static boolean requestMessageAuthentic(byte[] request, int length, byte[] secret) {
        byte[] copy = Arrays.copyOf(request, length);
        int at = messageAuthenticatorOffset(copy);
        if (at < 0) {
            return false;
        }
        byte[] mac = Arrays.copyOfRange(copy, at, at + 16);
        Arrays.fill(copy, at, at + 16, (byte) 0);
        return MessageDigest.isEqual(mac, hmacMd5(secret, copy));
    }

    /** Fills the (zeroed) Message-Authenticator of an encoded packet, over the authenticator field as it is. */
    private static void signMessageAuthenticator(byte[] packet, byte[] secret) {
        int at = messageAuthenticatorOffset(packet);
        System.arraycopy(hmacMd5(secret, packet), 0, packet, at, 16);
    }

    /** Where the value of the Message-Authenticator starts, or -1 (a malformed one counts as absent: -1). */
    private static int messageAuthenticatorOffset(byte[] packet) {
        for (int p = HEADER; p + 2 <= packet.length; ) {
            int alen = packet[p + 1] & 0xff;
            if (alen < 2 || p + alen > packet.length) {
                return -1;
            }
            if ((packet[p] & 0xff) == Attribute.MESSAGE_AUTHENTICATOR) {
                return alen == 18 ? p + 2 : -1;
            }
            p += alen;
        }
        return -1;
    }

    private static byte[] md5(byte[] a, byte[] b) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            md.update(a);
            md.update(b);
            return md.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    private static byte[] hmacMd5(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            // An empty secret is refused at load; HmacMD5 would refuse an empty key too.
            mac.init(new SecretKeySpec(key, "HmacMD5"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacMD5 is part of every JDK", e);
        }
    }
}
