package dev.vpnrouter.ike;

/** What the engine counts: for metrics, the lab's summary and tests that assert nothing went wrong. */
public final class IkeCounters {
    public long received;
    public long sent;
    public long malformed;
    public long duplicates;
    public long retransmits;
    public long unknownSa;
    public long internalErrors;
    public long phase1Completed;
    public long phase2Completed;
    /** ISAKMP SAs begun in either role (rekeys included), and first messages refused before an SA existed. */
    public long phase1Started;
    /** Quick Mode exchanges begun in either role, refused ones included. */
    public long phase2Started;
    /** The class of {@link #lastFailure}, null before the first refusal. */
    public NegotiationFailure lastFailureClass;
    /** Refusals by class, indexed by ordinal: a fixed array, so counting allocates nothing. */
    private final long[] failedByClass = new long[NegotiationFailure.all().length];

    /** Refusals of this class so far. */
    public long failed(NegotiationFailure reason) {
        return failedByClass[reason.ordinal()];
    }

    /** One refusal: counted under its class and in {@link #negotiationsFailed}, remembered as the last one. */
    void refused(NegotiationFailure reason, String text) {
        failedByClass[reason.ordinal()]++;
        negotiationsFailed++;
        lastFailure = text;
        lastFailureClass = reason;
    }

    /**
     * Refusals (the sum of {@link #failed} over the classes), plus initiator SAs that went (not refused) with Quick
     * Modes still waiting, and Mode Config requests ignored before Xauth. Metrics use {@link #failed}.
     */
    public long negotiationsFailed;
    public long halfOpenDropped;
    public long authFailures;
    /** AM1s dropped unanswered over the Aggressive Mode rate ({@link AggressiveModeAdmission}). */
    public long aggressiveModeRateLimited;
    /** MM5/AM3 that did not decrypt or verify and were dropped, the negotiation left to go on. */
    public long badMessagesDropped;
    /** Stateless MM2s sent under pressure ({@link MainModeCookies}). */
    public long mainModeCookiesSent;
    /** MM1s under pressure left unanswered: no key or proposal for them, too large, or MM2 over 3 times MM1. */
    public long mainModeCookiesUnanswered;
    /** MM3s whose cookie verified: each made a proven SA. */
    public long mainModeCookiesRedeemed;
    /** Main Mode messages with a responder cookie no SA has and no arena entry verifies (dropped as no SA). */
    public long mainModeCookiesRejected;
    public String lastFailure;
    /** The last bug caught at the engine's edge (with its stack trace), for tests and fuzzing to report. */
    public RuntimeException lastInternalError;
}
