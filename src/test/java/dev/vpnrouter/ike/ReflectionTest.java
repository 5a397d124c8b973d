package dev.vpnrouter.ike;

import dev.vpnrouter.sim.SimRouter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16: Aggressive Mode answers an unproven source (AM1 may name any victim's address), so one AM1 buys at
 * most three AM2s: the answer and two resends, whatever the time.
 */
class ReflectionTest {
    @Test
    void oneAggressiveModeFirstMessageGetsAtMostThreeAnswers() {
        IkeEngine hub = new IkeEngine(TestPolicy.seedHub(), ExchangeReplay.HUB, SimRouter.seededRandom(11));
        IkeEngine spoofer = new IkeEngine(TestPolicy.client(), ExchangeReplay.CLIENT, SimRouter.seededRandom(5));
        spoofer.connectClient(ExchangeReplay.clientProfile("gfullage"), 0);
        Datagram am1 = EngineBadInputTest.sends(spoofer.drain()).getFirst();
        hub.receive(am1, 0);
        List<Datagram> answers = new java.util.ArrayList<>(EngineBadInputTest.sends(hub.drain()));
        for (long now = 0; now < 600_000; now += 500) { // ten minutes, nothing comes back from the "victim"
            hub.tick(now);
            answers.addAll(EngineBadInputTest.sends(hub.drain()));
        }
        assertThat(answers).hasSize(1 + AggressiveModeResponder.AM2_RESENDS)
                .allSatisfy(d -> assertThat(d.dst()).isEqualTo(ExchangeReplay.CLIENT));
        long out = answers.stream().mapToLong(d -> d.data().length).sum();
        // Our client's AM1 (485 bytes) gets 1,188 bytes back in all: 2.45 times.
        assertThat((double) out / am1.data().length).isLessThanOrEqualTo(3.0);
        assertThat(hub.ikeSaCount()).as("the half-open SA is gone").isZero();
    }
}
