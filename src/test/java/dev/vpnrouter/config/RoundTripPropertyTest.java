package dev.vpnrouter.config;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/** Writing a configuration and parsing what was written gives the same model, for generated configurations. */
class RoundTripPropertyTest {
    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Property(tries = 400)
    void writtenConfigParsesToTheSameModel(@ForAll("seeds") long seed) {
        String text = new ConfigGenerator(seed).config();
        ParseResult first = IosParser.parse(text);
        assertThat(first.errors()).as("generated text must be valid:\n%s", text).isEmpty();

        String written = ConfigWriter.write(first.config());
        ParseResult second = IosParser.parse(written);
        assertThat(second.errors()).as("written text must be valid:\n%s", written).isEmpty();
        assertThat(ModelDiff.between(first.config(), second.config()))
                .as("model differences after a round trip of:\n%s\nwritten as:\n%s", text, written).isEmpty();
        assertThat(ConfigWriter.write(second.config())).isEqualTo(written);
    }
}
