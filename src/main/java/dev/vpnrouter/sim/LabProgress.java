package dev.vpnrouter.sim;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The progress line of a long {@code vpnrouter lab} run (a fleet of thousands, {@code --duration 24h}): phase,
 * percent, ETA, virtual time, tunnels up, and the phase's pace in negotiations per second of wall time. It goes to
 * stderr, and only when stderr is a terminal, so stdout stays the same for a seed and a log file gets no carriage
 * returns. A run shorter than {@link #FIRST_DRAW_NANOS} never shows it; after that it is redrawn in place
 * ({@code \r}) at most every {@link #REDRAW_NANOS}, and {@link #clear()} wipes it before stdout gets a line and at
 * the end. The caller says whether stderr is a terminal and gives the wall clock, so tests drive it without either.
 */
public final class LabProgress {
    /** What the run reports; {@code done} is the fraction of the current phase, 0 to 1. */
    public record Status(String phase, double done, long virtualMillis, int tunnelsUp, int tunnels,
            long negotiations) {
    }

    static final long FIRST_DRAW_NANOS = 1_000_000_000L;
    static final long REDRAW_NANOS = 250_000_000L;
    /** Longer lines would wrap on an 80-column terminal, and {@code \r} would then redraw only their last row. */
    static final int MAX_WIDTH = 79;

    /** No progress line (not a terminal, or a caller that wants none). */
    public static final LabProgress OFF = new LabProgress(null, false, () -> 0);

    private final PrintStream err;
    private final LongSupplier wallNanos;
    private long nextDraw;
    /** Width of the line on the terminal; 0 when none is. */
    private int drawn;
    /** ETA and pace are measured from the first sample of the current phase. */
    private String phase;
    private long phaseWall;
    private double phaseDone;
    private long phaseNegotiations;

    public LabProgress(PrintStream err, boolean terminal, LongSupplier wallNanos) {
        this.err = terminal ? err : null;
        this.wallNanos = wallNanos;
        this.nextDraw = terminal ? wallNanos.getAsLong() + FIRST_DRAW_NANOS : 0;
    }

    /** Called after every simulated event: reads the wall clock, and asks for the status only when a draw is due. */
    public void offer(Supplier<Status> status) {
        if (err == null) {
            return;
        }
        long now = wallNanos.getAsLong();
        if (now < nextDraw) {
            return;
        }
        nextDraw = now + REDRAW_NANOS;
        Status s = status.get();
        if (!s.phase().equals(phase)) {
            phase = s.phase();
            phaseWall = now;
            phaseDone = s.done();
            phaseNegotiations = s.negotiations();
        }
        long rate = now > phaseWall ? (long) ((s.negotiations() - phaseNegotiations) * 1e9 / (now - phaseWall)) : -1;
        String text = line(s, rate, etaNanos(s.done(), now));
        // A shorter line overwrites the end of the longer one it replaces.
        err.print("\r" + text + " ".repeat(Math.max(0, drawn - text.length())));
        err.flush();
        drawn = Math.max(drawn, text.length());
    }

    /** Wipes the line, if one is drawn; the next offer draws it again. */
    public void clear() {
        if (err == null || drawn == 0) {
            return;
        }
        err.print("\r" + " ".repeat(drawn) + "\r");
        err.flush();
        drawn = 0;
    }

    /** Wall time left at the phase's pace since its first sample; -1 before there is a pace. */
    private long etaNanos(double done, long now) {
        double gained = done - phaseDone;
        if (gained <= 0 || now <= phaseWall) {
            return -1;
        }
        return (long) ((now - phaseWall) * (1 - Math.min(1, done)) / gained);
    }

    /**
     * The line itself, e.g. {@code running 50%, ETA 3:10, virtual 12:00:00.0, up 9998/10000, 1234 negotiations/s};
     * a negative rate or ETA is not known yet.
     */
    static String line(Status s, long negotiationsPerSecond, long etaNanos) {
        int percent = (int) Math.floor(100 * Math.clamp(s.done(), 0.0, 1.0));
        long virtual = s.virtualMillis();
        String text = String.format(Locale.ROOT,
                "%s %d%%, ETA %s, virtual %d:%02d:%02d.%d, up %d/%d, %s negotiations/s", s.phase(), percent,
                etaNanos < 0 ? "?" : clock(etaNanos / 1_000_000_000L), virtual / 3_600_000, virtual / 60_000 % 60,
                virtual / 1000 % 60, virtual / 100 % 10, s.tunnelsUp(), s.tunnels(),
                negotiationsPerSecond < 0 ? "?" : String.valueOf(negotiationsPerSecond));
        return text.length() <= MAX_WIDTH ? text : text.substring(0, MAX_WIDTH);
    }

    /** m:ss under an hour, h:mm:ss above. */
    private static String clock(long seconds) {
        return seconds < 3600 ? String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }
}
