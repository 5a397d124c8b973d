package dev.vpnrouter.cli;

import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.ike.IkeEngine;
import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.ConfigPolicy;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code configure terminal} hands the new crypto map to the data plane's sink (the Linux one routes it). */
class EngineRouterReconfigureTest {
    @Test
    void aReconfiguredCryptoMapGoesToTheSink() throws Exception {
        String text = Files.readString(Path.of("examples/seed/spoke.cfg"));
        RouterConfig config = ConfigLoader.load(text).config();
        IkeEngine engine = new IkeEngine(new ConfigPolicy(config), 0x0a000001, new SecureRandom());
        List<List<ChildPolicy>> sunk = new ArrayList<>();
        EngineRouter router = new EngineRouter(config, engine, null, a -> a.accept(engine), 0).cryptoMapSink(sunk::add);

        RouterConfig changed = ConfigLoader.load(text.replace("10.1.0.0 0.0.255.255", "10.9.0.0 0.0.255.255"))
                .config();
        router.reconfigure(changed, 1);

        assertThat(sunk).hasSize(1);
        assertThat(sunk.getFirst().getFirst().selectors().getFirst().remote().toString()).contains("10.9.0.0");
        assertThat(router.config()).isSameAs(changed);
    }
}
