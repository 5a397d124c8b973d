package dev.vpnrouter.ike;

/**
 * The last request an exchange took and the reply it sent (null when it sent none): IKEv1 answers a retransmitted
 * request with the same bytes and processes nothing. {@link ExchangeDriver} fills and reads it.
 */
final class ReplyCache {
    private long requestHash;
    private Datagram reply;

    void remember(Datagram request, Datagram reply) {
        this.requestHash = ExchangeDriver.fingerprint(request.data());
        this.reply = reply;
    }

    boolean isRepeat(Datagram d) {
        return ExchangeDriver.fingerprint(d.data()) == requestHash;
    }

    Datagram reply() {
        return reply;
    }

    /** The fingerprint of the last request taken (tests). */
    long requestHash() {
        return requestHash;
    }
}
