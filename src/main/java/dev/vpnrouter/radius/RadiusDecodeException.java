package dev.vpnrouter.radius;

/** A datagram that is not a well-formed RADIUS packet; the text says what is wrong, for the log. */
public final class RadiusDecodeException extends Exception {
    public RadiusDecodeException(String message) {
        super(message);
    }
}
