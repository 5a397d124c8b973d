package dev.vpnrouter.ike.wire;

/**
 * The one error of the ISAKMP codec: a datagram, payload chain or message that cannot be accepted. It carries the RFC
 * 2408 notify message type ({@link NotifyType}) a responder may answer with, so the engine maps every decode problem
 * to a drop or a notify without inspecting the text.
 */
public final class IsakmpDecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int notifyType;

    public IsakmpDecodeException(int notifyType, String message) {
        super(message, null, false, false); // no stack trace: bad input is routine, not a bug
        this.notifyType = notifyType;
    }

    /** The RFC 2408 notify message type to answer with, e.g. {@link NotifyType#PAYLOAD_MALFORMED}. */
    public int notifyType() {
        return notifyType;
    }

    @Override
    public String toString() {
        return "IsakmpDecodeException[" + NotifyType.name(notifyType) + "]: " + getMessage();
    }
}
