package dev.vpnrouter.esp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReplayWindowTest {

    private static boolean accept(ReplayWindow w, long seq) {
        if (!w.check(seq)) {
            return false;
        }
        w.update(seq);
        return true;
    }

    @Test
    void duplicatesAndZeroAreRejected() {
        ReplayWindow w = new ReplayWindow(64);
        assertThat(w.check(0)).isFalse();
        assertThat(accept(w, 1)).isTrue();
        assertThat(accept(w, 1)).isFalse();
        assertThat(accept(w, 3)).isTrue();
        assertThat(accept(w, 2)).isTrue();
        assertThat(accept(w, 2)).isFalse();
        assertThat(w.highest()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(ints = {32, 64, 100, 128, 512, 1024})
    void exactlyAtTheLeftEdge(int size) {
        ReplayWindow w = new ReplayWindow(size);
        long top = 5000;
        assertThat(accept(w, top)).isTrue();
        assertThat(w.check(top - size + 1)).as("left edge is inside").isTrue();
        assertThat(w.check(top - size)).as("one past the left edge").isFalse();
        assertThat(accept(w, top - size + 1)).isTrue();
        assertThat(accept(w, top - size + 1)).isFalse();
    }

    @Test
    void farFutureJumpForgetsTheOldWindow() {
        ReplayWindow w = new ReplayWindow(1024);
        for (long s = 1; s <= 2000; s++) {
            assertThat(accept(w, s)).isTrue();
        }
        long far = 1L << 31;
        assertThat(accept(w, far)).isTrue();
        assertThat(w.check(2000)).isFalse();
        // Inside the new window, nothing is marked yet except the top.
        for (long s = far - 1023; s < far; s++) {
            assertThat(w.check(s)).as("seq %d", s).isTrue();
        }
        assertThat(w.check(far - 1024)).isFalse();
    }

    @Test
    void windowOf1024TracksEveryBit() {
        ReplayWindow w = new ReplayWindow(1024);
        assertThat(accept(w, 3000)).isTrue();
        for (long s = 3000 - 1023; s < 3000; s += 2) {
            assertThat(accept(w, s)).isTrue();
        }
        for (long s = 3000 - 1023; s < 3000; s++) {
            boolean seen = (s - (3000 - 1023)) % 2 == 0;
            assertThat(w.check(s)).as("seq %d", s).isEqualTo(!seen);
        }
    }

    /** Against a model (a BitSet of everything accepted) under random traffic with reordering. */
    @ParameterizedTest
    @ValueSource(ints = {1, 64, 65, 300, 1024})
    void matchesASimpleModel(int size) {
        ReplayWindow w = new ReplayWindow(size);
        BitSet seen = new BitSet();
        long top = 0;
        Random random = new Random(size);
        long base = 1;
        for (int i = 0; i < 200_000; i++) {
            base += random.nextInt(3);
            long seq = Math.max(1, base + random.nextInt(2 * size + 200) - size - 100);
            if (random.nextInt(1000) == 0) {
                base += random.nextInt(5000);
            }
            boolean expected = !(top - seq >= size && seq <= top) && !seen.get((int) seq);
            assertThat(w.check(seq)).as("seq %d top %d", seq, top).isEqualTo(expected);
            if (expected) {
                w.update(seq);
                seen.set((int) seq);
                top = Math.max(top, seq);
            }
        }
    }

    @Test
    void disabledWindowAcceptsEverything() {
        ReplayWindow w = new ReplayWindow(0);
        assertThat(accept(w, 5)).isTrue();
        assertThat(accept(w, 5)).isTrue();
        assertThat(w.enabled()).isFalse();
    }

    @Test
    void sizeIsBounded() {
        assertThatThrownBy(() -> new ReplayWindow(1025)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReplayWindow(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** RFC 4303 appendix A2.2: the high half is inferred from where the low half falls. */
    @Test
    void esnInference() {
        ReplayWindow w = new ReplayWindow(64);
        w.update(0x1_0000_0010L); // Th = 1, Tl = 16 (case B: the window spans two subspaces)
        assertThat(w.esnSequence(0x20)).isEqualTo(0x1_0000_0020L);
        assertThat(w.esnSequence(0x05)).isEqualTo(0x1_0000_0005L);
        assertThat(w.esnSequence(0xFFFF_FFF0)).isEqualTo(0x0_FFFF_FFF0L);
        w.update(0x1_8000_0000L); // case A
        assertThat(w.esnSequence(0x8000_0001)).isEqualTo(0x1_8000_0001L);
        assertThat(w.esnSequence(0x7FFF_FFD0)).isEqualTo(0x1_7FFF_FFD0L); // inside the window
        assertThat(w.esnSequence(0x7FFF_FFC0)).isEqualTo(0x2_7FFF_FFC0L); // below it: the next subspace
        assertThat(w.esnSequence(0x7FFF_FFC1)).isEqualTo(0x1_7FFF_FFC1L); // left edge
        ReplayWindow fresh = new ReplayWindow(64);
        assertThat(fresh.esnSequence(0xFFFF_FFFF)).isZero(); // would precede sequence number 1
        assertThat(fresh.esnSequence(1)).isEqualTo(1);
    }
}
