package dev.vpnrouter.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vpnrouter.ike.cfg.ConfigPolicy;
import dev.vpnrouter.policy.PolicyCompiler;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer target: any text through the IOS configuration path a router takes at start (parse, check, compile the
 * policy, the engine's view of it). Nothing may throw; bad lines become diagnostics. A text that loads without errors
 * writes back ({@code show running-config}) as text that loads without errors and writes back the same.
 * Regression inputs: the seed configs and the test configs under src/test/resources/config.
 */
class IosConfigFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void load(byte[] input) {
        // ISO-8859-1 maps every byte to one character: the fuzzer's mutations stay mutations of the text.
        String text = new String(input, StandardCharsets.ISO_8859_1);
        ParseResult loaded = ConfigLoader.load(text);
        PolicyCompiler.compile(loaded);
        new ConfigPolicy(loaded.config());
        if (!IosParser.parse(text).hasErrors()) {
            String written = ConfigWriter.write(loaded.config());
            ParseResult again = IosParser.parse(written);
            assertThat(again.errors()).as("written text must load:\n%s\nfrom:\n%s", written, text).isEmpty();
            assertThat(ConfigWriter.write(again.config())).as("from:\n%s", text).isEqualTo(written);
        }
    }
}
