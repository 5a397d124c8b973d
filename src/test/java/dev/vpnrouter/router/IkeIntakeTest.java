package dev.vpnrouter.router;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IkeIntakeTest {
    /**
     * An ISAKMP header-sized datagram with exchange type {@code type}, tagged in its first cookie byte, carrying a
     * responder cookie (a peer past the first exchange).
     */
    private static byte[] ike(int type, int tag, boolean marker) {
        byte[] d = firstMessage(type, tag, marker);
        d[(marker ? 4 : 0) + 15] = 1;
        return d;
    }

    /** The same with a zero responder cookie: a first message, or anything a forged source sends. */
    private static byte[] firstMessage(int type, int tag, boolean marker) {
        byte[] d = new byte[(marker ? 4 : 0) + 28];
        int at = marker ? 4 : 0;
        d[at] = (byte) tag;
        d[at + 18] = (byte) type;
        return d;
    }

    private static IkeIntake.Received rx(byte[] d) {
        return new IkeIntake.Received(d, 1, 500);
    }

    @Test
    void informationalsGoBeforeWaitingQuickModesAndBetweenEachHelping() {
        IkeIntake intake = new IkeIntake(false, 100, 1 << 20);
        for (int i = 0; i < 10; i++) {
            intake.offer(rx(ike(32, i, false))); // Quick Modes
        }
        intake.offer(rx(ike(5, 100, false))); // a DPD R-U-THERE after them
        List<Integer> order = new ArrayList<>();
        int n = intake.serve(d -> order.add((int) d.data()[0]), 3);
        assertThat(n).isEqualTo(4);
        assertThat(order).containsExactly(100, 0, 1, 2);
        intake.offer(rx(ike(5, 101, false)));
        order.clear();
        intake.serve(d -> order.add((int) d.data()[0]), 2);
        assertThat(order).containsExactly(101, 3, 4);
    }

    @Test
    void anEndlessFloodOfInformationalsCannotHoldTheLoopOrStarveTheRest() {
        IkeIntake intake = new IkeIntake(false, 1_000, 1 << 20);
        for (int i = 0; i < 5; i++) {
            intake.offer(rx(ike(32, i, false)));
        }
        for (int i = 0; i < 100; i++) {
            intake.offer(rx(ike(5, 100, false)));
        }
        List<Integer> quickModes = new ArrayList<>();
        int[] informationals = {0};
        // A hostile peer: every Informational handled is replaced by a new one at once, forever.
        int handled = intake.serve(d -> {
            if (d.data()[18] == 5) {
                informationals[0]++;
                intake.offer(rx(ike(5, 100, false)));
            } else {
                quickModes.add((int) d.data()[0]);
            }
        }, 5);
        assertThat(quickModes).containsExactly(0, 1, 2, 3, 4);
        assertThat(handled).isEqualTo(5 + informationals[0]);
        assertThat(informationals[0]).as("one queue's worth per pass, six passes").isEqualTo(600);
    }

    @Test
    void onPort4500OnlyMarkedIkeCountsAsInformational() {
        IkeIntake intake = new IkeIntake(true, 100, 1 << 20);
        byte[] esp = ike(5, 7, false); // no marker: an SPI, so ESP, whatever byte 18 holds
        esp[0] = 1;
        intake.offer(rx(esp));
        intake.offer(rx(new byte[] {(byte) 0xff})); // NAT keepalive
        intake.offer(rx(ike(5, 9, true)));
        List<Integer> order = new ArrayList<>();
        intake.serve(d -> order.add(d.data().length), 0);
        assertThat(order).containsExactly(32); // only the marked Informational so far
        intake.serve(d -> order.add(d.data().length), 10);
        assertThat(order).containsExactly(32, 28, 1);
    }

    @Test
    void aFullQueueOrTheByteBoundDropsAndCounts() {
        IkeIntake intake = new IkeIntake(false, 2, 1 << 20);
        assertThat(intake.offer(rx(ike(2, 0, false)))).isTrue();
        assertThat(intake.offer(rx(ike(2, 1, false)))).isTrue();
        assertThat(intake.offer(rx(ike(2, 2, false)))).isFalse();
        assertThat(intake.offer(rx(ike(5, 3, false)))).isTrue(); // its own queue has room
        assertThat(intake.drops()).isEqualTo(1);

        IkeIntake small = new IkeIntake(false, 100, 60);
        assertThat(small.offer(rx(ike(2, 0, false)))).isTrue();
        assertThat(small.offer(rx(ike(2, 1, false)))).isTrue();
        assertThat(small.offer(rx(ike(2, 2, false)))).isFalse(); // 84 bytes > 60
        assertThat(small.drops()).isEqualTo(1);
        small.serve(d -> { }, 10);
        assertThat(small.isEmpty()).isTrue();
        assertThat(small.offer(rx(ike(2, 3, false)))).isTrue(); // the bytes were given back
    }

    @Test
    void provenDatagramsGoBeforeWaitingFirstMessagesAndAZeroCookieInformationalIsAFirstMessage() {
        IkeIntake intake = new IkeIntake(false, 100, 1 << 20);
        for (int i = 0; i < 5; i++) {
            intake.offer(rx(firstMessage(2, i, false))); // MM1s, waiting first
        }
        intake.offer(rx(firstMessage(5, 50, false))); // a forged Informational: no cookie, so no precedence
        intake.offer(rx(ike(2, 10, false))); // an MM3
        intake.offer(rx(ike(32, 11, false))); // a Quick Mode
        intake.offer(rx(ike(5, 12, false))); // a DPD R-U-THERE
        intake.offer(rx(new byte[] {60, 1, 2})); // shorter than a header: no cookie proves anything
        List<Integer> order = new ArrayList<>();
        intake.serve(d -> order.add((int) d.data()[0]), 4);
        assertThat(order).containsExactly(12, 10, 11, 0, 1);
        order.clear();
        intake.serve(d -> order.add((int) d.data()[0]), 10);
        assertThat(order).containsExactly(2, 3, 4, 50, 60);
        assertThat(intake.isEmpty()).isTrue();
    }

    @Test
    void aFloodOfForgedCookiesCannotShutOutNewPeersFirstMessages() {
        IkeIntake intake = new IkeIntake(false, 1000, 1 << 20);
        for (int i = 0; i < 500; i++) {
            intake.offer(rx(ike(2, 100, false))); // forged: any non-zero responder cookie claims a proven place
        }
        intake.offer(rx(firstMessage(2, 1, false))); // a new spoke's MM1
        intake.offer(rx(firstMessage(4, 2, false))); // a new client's AM1
        List<Integer> order = new ArrayList<>();
        intake.serve(d -> order.add((int) d.data()[0]), 2 * IkeIntake.FIRST_SHARE);
        assertThat(order).hasSize(2 * IkeIntake.FIRST_SHARE).contains(1, 2);
        assertThat(order.indexOf(1)).isEqualTo(IkeIntake.FIRST_SHARE - 1);
        assertThat(order.indexOf(2)).isEqualTo(2 * IkeIntake.FIRST_SHARE - 1);
    }

    @Test
    void aFloodOfFirstMessagesFillsOnlyItsOwnQueueAndBytes() {
        IkeIntake byCount = new IkeIntake(false, 2, 1 << 20);
        assertThat(byCount.offer(rx(firstMessage(2, 0, false)))).isTrue();
        assertThat(byCount.offer(rx(firstMessage(4, 1, false)))).isTrue();
        assertThat(byCount.offer(rx(firstMessage(2, 2, false)))).isFalse();
        assertThat(byCount.offer(rx(ike(2, 3, false)))).isTrue();
        assertThat(byCount.offer(rx(ike(6, 4, false)))).isTrue();

        IkeIntake byBytes = new IkeIntake(false, 100, 60);
        assertThat(byBytes.offer(rx(firstMessage(2, 0, false)))).isTrue();
        assertThat(byBytes.offer(rx(firstMessage(2, 1, false)))).isTrue();
        assertThat(byBytes.offer(rx(firstMessage(2, 2, false)))).isFalse(); // 84 bytes of first messages > 60
        assertThat(byBytes.offer(rx(ike(2, 3, false)))).isTrue(); // proven bytes are counted apart
        assertThat(byBytes.offer(rx(ike(5, 4, false)))).isTrue();
        assertThat(byBytes.drops()).isEqualTo(1);
    }

    @Test
    void theFirstMessagesQueueHasItsOwnShorterLength() {
        IkeIntake intake = new IkeIntake(false, 100, 3, 1 << 20);
        for (int i = 0; i < 5; i++) {
            intake.offer(rx(firstMessage(2, i, false)));
        }
        for (int i = 0; i < 10; i++) {
            assertThat(intake.offer(rx(ike(32, 10 + i, false)))).isTrue();
        }
        assertThat(intake.drops()).isEqualTo(2);
        List<Integer> firsts = new ArrayList<>();
        intake.serve(d -> {
            if (d.data()[15] == 0) {
                firsts.add((int) d.data()[0]);
            }
        }, 100);
        assertThat(firsts).containsExactly(0, 1, 2);
    }

    @Test
    void theReaderClassifiesABatchInPlaceAsOfferDoes() {
        byte[][] samples = {
            firstMessage(2, 1, false), ike(2, 2, false), ike(5, 3, false), new byte[10],
        };
        byte[][] natT = {
            firstMessage(2, 1, true), ike(32, 2, true), {(byte) 0xff}, {0, 0, 0, 7, 1, 2, 3, 4, 5, 6, 7, 8},
            new byte[] {0, 0, 0, 0, 1, 2},
        };
        for (boolean marker : new boolean[] {false, true}) {
            byte[][] set = marker ? natT : samples;
            try (dev.vpnrouter.net.PacketBatch batch = new dev.vpnrouter.net.PacketBatch(8, 256)) {
                for (byte[] d : set) {
                    batch.add(d, 0, d.length, 1, 500);
                }
                for (int i = 0; i < set.length; i++) {
                    IkeIntake intake = new IkeIntake(marker, 10, 1, 1 << 20);
                    intake.offer(rx(set[i]));
                    boolean queuedAsFirst = !intake.offer(rx(set[i])); // a first message finds its queue of 1 full
                    assertThat(IkeIntake.isFirstMessage(batch, i, marker)).as("sample %d, marker %s", i, marker)
                            .isEqualTo(queuedAsFirst);
                }
            }
        }
    }

    @Test
    void aFreshSourcesFirstMessageGoesBeforeTheFloodsFirstMessages() {
        IkeIntake intake = new IkeIntake(false, 100, 100, 1 << 20);
        for (int i = 0; i < 50; i++) {
            intake.offer(rx(firstMessage(2, i, false)), false); // admitted from flooding sources
        }
        intake.offer(rx(firstMessage(2, 99, false)), true); // a new peer's MM1
        List<Integer> order = new ArrayList<>();
        intake.serve(d -> order.add((int) d.data()[0]), 3);
        assertThat(order).containsExactly(99, 0, 1);
    }
}
