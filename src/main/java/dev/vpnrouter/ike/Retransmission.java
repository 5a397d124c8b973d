package dev.vpnrouter.ike;

/**
 * When to resend the last request of an exchange that awaits an answer: after 2 s, doubling, five times, then
 * give up (about a minute in all, close to what IOS does). Pure arithmetic on the caller's clock.
 */
public final class Retransmission {
    public static final long FIRST_TIMEOUT_MILLIS = 2_000;
    public static final int MAX_RETRANSMITS = 5;

    private final long firstTimeoutMillis;
    private final int maxRetransmits;
    private byte[] lastSent;
    private Datagram lastDatagram;
    private int retransmits;
    /** Resends allowed for the request in flight. */
    private int cap;
    private long dueAtMillis = Long.MAX_VALUE;

    public Retransmission() {
        this(FIRST_TIMEOUT_MILLIS, MAX_RETRANSMITS);
    }

    public Retransmission(long firstTimeoutMillis, int maxRetransmits) {
        this.firstTimeoutMillis = firstTimeoutMillis;
        this.maxRetransmits = maxRetransmits;
    }

    /** Records a freshly sent request: retransmit it unless an answer arrives. */
    public void sent(Datagram request, long nowMillis) {
        sent(request, nowMillis, maxRetransmits);
    }

    /** As {@link #sent(Datagram, long)}, resent at most {@code resends} times. */
    public void sent(Datagram request, long nowMillis, int resends) {
        cap = resends;
        lastDatagram = request;
        lastSent = request.data();
        retransmits = 0;
        dueAtMillis = nowMillis + firstTimeoutMillis;
    }

    /** The answer came: nothing more to resend. */
    public void answered() {
        lastDatagram = null;
        lastSent = null;
        dueAtMillis = Long.MAX_VALUE;
    }

    public boolean waiting() {
        return lastSent != null;
    }

    public long dueAtMillis() {
        return dueAtMillis;
    }

    /** What a timer tick means for this exchange. */
    public enum Verdict { NOTHING, RESEND, GIVE_UP }

    public Verdict onTimer(long nowMillis) {
        if (lastSent == null || nowMillis < dueAtMillis) {
            return Verdict.NOTHING;
        }
        if (retransmits >= cap) {
            answered();
            return Verdict.GIVE_UP;
        }
        retransmits++;
        dueAtMillis = nowMillis + (firstTimeoutMillis << retransmits);
        return Verdict.RESEND;
    }

    /** The request to resend (same bytes: IKEv1 retransmits verbatim). */
    public Datagram lastRequest() {
        return lastDatagram;
    }

    public int retransmits() {
        return retransmits;
    }
}
