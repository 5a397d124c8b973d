package dev.vpnrouter.app;

import dev.vpnrouter.cli.EngineRouter;
import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.cfg.ConfigPolicy;
import dev.vpnrouter.sim.FaultModel;
import dev.vpnrouter.sim.SimNetwork;
import dev.vpnrouter.sim.SimRouter;
import dev.vpnrouter.sim.SimScheduler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code systemctl reload} / SIGHUP: the hub re-reads its file while a spoke's SAs are up (the seed pair in the
 * simulation, the hub's engine behind the same {@link EngineRouter} {@code run} gives its exec sessions).
 */
class ConfigReloadTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<String> log = new ArrayList<>();
    private String hubText;
    private String spokeText;
    private SimScheduler clock;
    private SimNetwork net;
    private SimRouter hub;
    private Path hubFile;
    private RouterConfig started;
    private EngineRouter router;
    private ConfigReload reload;
    private ChildSa spokeSa;

    @BeforeEach
    void hubWithASpokeUp() throws IOException {
        hubText = Files.readString(Path.of("examples/seed/hub.cfg"));
        spokeText = Files.readString(Path.of("examples/seed/spoke.cfg"));
        hubFile = dir.resolve("hub.cfg");
        Files.writeString(hubFile, hubText);
        started = ConfigLoader.load(hubText).config();
        clock = new SimScheduler(0);
        net = new SimNetwork(clock, 3, FaultModel.PERFECT);
        hub = new SimRouter("hub", net, Ipv4.parse("10.48.67.181"), new ConfigPolicy(started), 1);
        SimRouter spoke = spoke("10.100.2.102", spokeText, 2);
        clock.runUntil(5_000);
        assertThat(hub.children()).hasSize(1);
        spokeSa = hub.children().getFirst();
        assertThat(spoke.children()).hasSize(1);

        router = new EngineRouter(started, hub.engine(), null, hub::run, 0);
        reload = new ConfigReload(hubFile, router::config, router, Runnable::run,
                new PrintStream(err, true, StandardCharsets.UTF_8), log::add);
    }

    private SimRouter spoke(String address, String config, long seed) {
        SimRouter spoke = new SimRouter("spoke " + address, net, Ipv4.parse(address),
                new ConfigPolicy(ConfigLoader.load(config).config()), seed);
        spoke.run(e -> e.connectAll(clock.now()));
        return spoke;
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aChangedFileAppliesToNewNegotiationsAndTheSaThatIsUpStays() throws IOException {
        Files.writeString(hubFile, hubText.replace("key cisco123", "key changed-on-reload"));

        assertThat(reload.reload()).isTrue();

        assertThat(log).containsExactly("vpnrouter: reloaded " + hubFile
                + ": new negotiations use it, SAs that are up stay");
        assertThat(router.config()).isNotSameAs(started);
        // A spoke with the old wildcard key is refused now; one with the new key gets in; the first stays.
        SimRouter oldKey = spoke("10.100.2.103", spokeText.replace("permit ip 10.2.0.0", "permit ip 10.3.0.0"), 4);
        SimRouter newKey = spoke("10.100.2.104", spokeText.replace("key cisco123", "key changed-on-reload")
                .replace("permit ip 10.2.0.0", "permit ip 10.4.0.0"), 5);
        clock.runUntil(clock.now() + 10_000);
        assertThat(oldKey.children()).isEmpty();
        assertThat(newKey.children()).hasSize(1);
        assertThat(hub.children()).contains(spokeSa).hasSize(2);
    }

    @Test
    void aFileWithAnErrorIsRefusedWithItsIosErrorAndTheRunningConfigurationStays() throws IOException {
        Files.writeString(hubFile, hubText.replace("key cisco123", "key changed-on-reload")
                .replace("\nend", "\ncrypto isakmp frobnicate 7\nend"));

        assertThat(reload.reload()).isFalse();

        assertThat(stderr()).contains(hubFile + ":" + lineOf("crypto isakmp frobnicate 7") + ":15: error: % Invalid "
                        + "input detected at '^' marker.\ncrypto isakmp frobnicate 7\n              ^\n")
                .contains("vpnrouter: reload refused: 1 error(s) in " + hubFile + "; the running configuration stays");
        assertThat(log).isEmpty();
        assertThat(router.config()).isSameAs(started);
        // The key the bad file would have changed still lets a new spoke in.
        SimRouter second = spoke("10.100.2.103", spokeText.replace("permit ip 10.2.0.0", "permit ip 10.3.0.0"), 4);
        clock.runUntil(clock.now() + 10_000);
        assertThat(second.children()).hasSize(1);
        assertThat(hub.children()).contains(spokeSa);
    }

    private int lineOf(String text) throws IOException {
        return Files.readAllLines(hubFile).indexOf(text) + 1;
    }

    @Test
    void aNewOutsideAddressTakesARestart() throws IOException {
        Files.writeString(hubFile, hubText.replace("ip address 10.48.67.181", "ip address 10.48.67.182"));

        assertThat(reload.reload()).isFalse();

        assertThat(stderr()).contains("vpnrouter: reload refused: the address of FastEthernet0/0 changed; restart to "
                + "apply it (systemctl restart); the running configuration stays");
        assertThat(router.config()).isSameAs(started);
    }

    @Test
    void theFileIsComparedWithTheRunningConfigurationNotTheOneRunStartedWith() {
        // configure terminal moved the outside address since the start (the file still has the old one)...
        RouterConfig typed = ConfigLoader.load(hubText.replace("ip address 10.48.67.181", "ip address 10.48.67.182"))
                .config();
        router.reconfigure(typed, clock.now());

        // ...so the file, unchanged since the start, would move it back: a restart, not a reload.
        assertThat(reload.reload()).isFalse();

        assertThat(stderr()).contains("reload refused: the address of FastEthernet0/0 changed");
        assertThat(router.config()).isSameAs(typed);
    }

    @Test
    void aMissingFileIsRefused() throws IOException {
        Files.delete(hubFile);

        assertThat(reload.reload()).isFalse();

        assertThat(stderr()).contains("vpnrouter: reload refused: cannot read " + hubFile);
        assertThat(router.config()).isSameAs(started);
        assertThat(hub.children()).containsExactly(spokeSa);
    }

    @Test
    void sighupReachesTheHandlerOnThisJdkWithoutAddOpens() throws InterruptedException {
        CountDownLatch hups = new CountDownLatch(1);
        assertThat(ConfigReload.onSighup(hups::countDown)).isTrue();

        sun.misc.Signal.raise(new sun.misc.Signal("HUP"));

        assertThat(hups.await(10, TimeUnit.SECONDS)).as("the SIGHUP handler ran").isTrue();
    }
}
