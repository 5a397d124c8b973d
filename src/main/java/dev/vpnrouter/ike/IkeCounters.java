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
    public long negotiationsFailed;
    public long halfOpenDropped;
    public long authFailures;
    public String lastFailure;
    /** The last bug caught at the engine's edge (with its stack trace), for tests and fuzzing to report. */
    public RuntimeException lastInternalError;
}
