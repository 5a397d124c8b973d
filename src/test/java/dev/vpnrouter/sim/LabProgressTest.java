package dev.vpnrouter.sim;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The lab's progress line, driven by a fake wall clock and a stderr that is or is not a terminal. */
class LabProgressTest {
    private static final long MS = 1_000_000L;
    private static final long HOUR = 3_600_000L;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private long wall = 5_000 * MS;

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static LabProgress.Status running(double done, long negotiations) {
        return new LabProgress.Status("running", done, (long) (done * 24 * HOUR), 1000, 1000, negotiations);
    }

    @Test
    void notATerminalGetsNothingAndTheStatusIsNeverAsked() {
        LabProgress progress = new LabProgress(err, false, () -> wall);
        for (int i = 0; i < 100; i++) {
            wall += 500 * MS;
            progress.offer(() -> {
                throw new AssertionError("status asked for a progress line nobody sees");
            });
        }
        progress.clear();
        assertThat(printed()).isEmpty();
    }

    @Test
    void aRunShorterThanASecondShowsNothingThenAtMostFourLinesASecond() {
        LabProgress progress = new LabProgress(err, true, () -> wall);
        for (int ms = 0; ms < 1000; ms += 10) {
            progress.offer(() -> running(0.1, 0));
            wall += 10 * MS;
        }
        assertThat(printed()).isEmpty();
        for (int ms = 0; ms < 2000; ms += 10) {
            progress.offer(() -> running(0.1, 0));
            wall += 10 * MS;
        }
        assertThat(printed().chars().filter(c -> c == '\r')).hasSize(8);
        assertThat(printed()).doesNotContain("\n");
    }

    @Test
    void theLineSaysPhaseVirtualTimeTunnelsNegotiationsPerSecondAndEta() {
        LabProgress progress = new LabProgress(err, true, () -> wall);
        wall += 1000 * MS;
        progress.offer(() -> running(0.25, 3000));
        // The phase's first sample gives no pace yet.
        assertThat(printed()).isEqualTo("\rrunning 25%, ETA ?, virtual 6:00:00.0, up 1000/1000, ? negotiations/s");
        bytes.reset();
        wall += 1000 * MS;
        progress.offer(() -> running(0.5, 5000));
        // A quarter a second: the half left takes two seconds; 2000 more negotiations in that second.
        assertThat(printed())
                .isEqualTo("\rrunning 50%, ETA 0:02, virtual 12:00:00.0, up 1000/1000, 2000 negotiations/s");
        bytes.reset();
        wall += 1000 * MS;
        progress.offer(() -> new LabProgress.Status("settling", 0.9, 25 * HOUR + 1500, 900, 1000, 6000));
        // A new phase has its own pace; the shorter line blanks what is left of the longer one.
        assertThat(printed()).isEqualTo("\rsettling 90%, ETA ?, virtual 25:00:01.5, up 900/1000, ? negotiations/s"
                + " ".repeat(6));
    }

    @Test
    void clearWipesTheWholeLineOnceAndTheNextOfferDrawsAgain() {
        LabProgress progress = new LabProgress(err, true, () -> wall);
        wall += 1000 * MS;
        progress.offer(() -> running(0.5, 0));
        int width = printed().length() - 1;
        bytes.reset();
        progress.clear();
        progress.clear();
        assertThat(printed()).isEqualTo("\r" + " ".repeat(width) + "\r");
        bytes.reset();
        wall += 250 * MS;
        progress.offer(() -> running(0.5, 0));
        assertThat(printed()).startsWith("\rrunning 50%");
    }

    @Test
    void longRunsReadInHoursAndTheLineFitsEightyColumns() {
        LabProgress.Status day = new LabProgress.Status("running", 0.001, 720 * HOUR + 61_000, 20_000, 20_000,
                0);
        assertThat(LabProgress.line(day, 0, (2 * 3600 + 5) * 1_000_000_000L))
                .isEqualTo("running 0%, ETA 2:00:05, virtual 720:01:01.0, up 20000/20000, 0 negotiations/s");
        LabProgress.Status huge = new LabProgress.Status("bring-up", 0.5, HOUR, 1_000_000, 2_000_000, 0);
        assertThat(LabProgress.line(huge, 123_456_789, 0)).hasSize(LabProgress.MAX_WIDTH)
                .startsWith("bring-up 50%, ETA 0:00, virtual 1:00:00.0, up 1000000/2000000, 123456789 negot");
    }
}
