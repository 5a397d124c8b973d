package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.ike.cfg.ConfigPolicy;
import dev.vpnrouter.sim.FaultModel;
import dev.vpnrouter.sim.SimNetwork;
import dev.vpnrouter.sim.SimRouter;
import dev.vpnrouter.sim.SimScheduler;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code configure terminal}: new negotiations follow the new configuration, existing SAs live on. */
class ReconfigureTest {
    private static ConfigPolicy policy(String text) {
        return new ConfigPolicy(ConfigLoader.load(text).config());
    }

    @Test
    void existingSasStayAndNewNegotiationsUseTheNewKeys() throws IOException {
        String hubText = Files.readString(Path.of("examples/seed/hub.cfg"));
        String spokeText = Files.readString(Path.of("examples/seed/spoke.cfg"));
        SimScheduler clock = new SimScheduler(0);
        SimNetwork net = new SimNetwork(clock, 3, FaultModel.PERFECT);
        SimRouter hub = new SimRouter("hub", net, Ipv4.parse("10.48.67.181"), policy(hubText), 1);
        SimRouter spoke = new SimRouter("spoke", net, Ipv4.parse("10.100.2.102"), policy(spokeText), 2);
        spoke.run(e -> e.connectAll(0));
        clock.runUntil(5_000);
        assertThat(hub.children()).hasSize(1);
        ChildSa before = hub.children().getFirst();

        // The hub's wildcard key changes: the spoke's SA stays up, a second spoke with the old key is refused.
        hub.run(e -> e.reconfigure(policy(hubText.replace("key cisco123", "key changed"))));
        // The spoke's configuration is reloaded unchanged: its map entry is the same, no second SA pair starts.
        spoke.run(e -> e.reconfigure(policy(spokeText)));
        spoke.run(e -> e.connectAll(clock.now()));
        SimRouter spoke2 = new SimRouter("spoke2", net, Ipv4.parse("10.100.2.103"), policy(spokeText), 4);
        spoke2.run(e -> e.connectAll(clock.now()));
        clock.runUntil(clock.now() + 10_000);
        assertThat(hub.children()).containsExactly(before);
        assertThat(spoke.children()).hasSize(1);
        assertThat(spoke.engine().ikeSaCount()).isEqualTo(1);
        assertThat(spoke2.children()).isEmpty();
        assertThat(hub.engine().counters().lastFailure).isNotNull();

        // With the new key, a spoke configured to match gets in (with a LAN of its own: spoke's 10.2.0.0/16 is taken).
        SimRouter spoke3 = new SimRouter("spoke3", net, Ipv4.parse("10.100.2.104"),
                policy(spokeText.replace("key cisco123", "key changed").replace("permit ip 10.2.0.0", "permit ip 10.3.0.0")),
                5);
        spoke3.run(e -> e.connectAll(clock.now()));
        clock.runUntil(clock.now() + 10_000);
        assertThat(spoke3.children()).hasSize(1);
        assertThat(hub.children()).hasSize(2);
    }
}
