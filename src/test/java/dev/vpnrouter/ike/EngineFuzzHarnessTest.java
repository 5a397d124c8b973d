package dev.vpnrouter.ike;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine fuzz targets reach deep: the SEALED seed of each state (the real message's decrypted payloads, sealed
 * again by the harness) is accepted exactly like the real message, so fuzzed payloads get past decryption and the
 * HASH check into the exchange logic. If the harness sealed wrongly, every input would die at the HASH check and the
 * campaign would test nothing; this test fails first.
 */
class EngineFuzzHarnessTest {
    static final Path INPUTS = Path.of("src/test/resources/dev/vpnrouter/ike/EngineFuzzTestInputs");

    @Test
    void sealedSeedsAreAcceptedLikeTheRealMessages() throws Exception {
        int checked = 0;
        for (Map.Entry<String, List<EngineFuzzTest.State>> family : EngineFuzzTest.FAMILIES.entrySet()) {
            for (EngineFuzzTest.State state : family.getValue()) {
                if (state.name().startsWith("INFO")) {
                    continue; // no real message to compare with: the harness makes its template
                }
                byte[] seed = Files.readAllBytes(INPUTS.resolve(family.getKey())
                        .resolve(state.name().toLowerCase() + "-sealed"));
                // The real message, delivered as the exchange would.
                ExchangeReplay real = ExchangeReplay.after(state.peer, state.delivered);
                Datagram next = real.next();
                IkeEngine realTarget = real.engineAt(next.dst());
                realTarget.receive(next, 0);
                int realSent = EngineBadInputTest.sends(realTarget.drain()).size();
                // The same message rebuilt by the harness from the seed.
                EngineFuzzTest.CACHE.remove(state);
                EngineFuzzTest.run(seed, family.getValue().toArray(EngineFuzzTest.State[]::new));
                ExchangeReplay fuzzed = ExchangeReplay.after(state.peer, state.delivered);
                IkeEngine target = fuzzed.engineAt(next.dst());
                Datagram d = fuzzed.next();
                byte[] rebuilt = EngineFuzzTest.build(new EngineFuzzTest.Prepared(state), state,
                        EngineFuzzTest.Shape.SEALED, java.util.Arrays.copyOfRange(seed, 1, seed.length));
                target.receive(new Datagram(d.src(), d.srcPort(), d.dst(), d.dstPort(), rebuilt), 0);
                int sent = EngineBadInputTest.sends(target.drain()).size();
                assertThat(target.counters().authFailures).as(state + ": HASH verified").isZero();
                assertThat(target.counters().malformed).as(state + ": decrypted and decoded").isZero();
                assertThat(EngineFuzzTest.digest(target)).as(state + ": same state as after the real message")
                        .isEqualTo(EngineFuzzTest.digest(realTarget));
                assertThat(sent).as(state + ": same answer").isEqualTo(realSent);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(19);
    }
}
