package dev.vpnrouter.config;


import static org.assertj.core.api.Assertions.assertThat;

/** Writing a configuration and parsing what was written gives the same model, for generated configurations. */
class RoundTripPropertyTest {
    /** 400 generated configurations, each from its own seed so a failure can be replayed. */
    @org.junit.jupiter.api.Test
    void writtenConfigParsesToTheSameModel() {
        java.util.SplittableRandom seeds = new java.util.SplittableRandom(20261127);
        for (int i = 0; i < 400; i++) {
            writtenConfigParsesToTheSameModel(seeds.nextLong());
        }
    }

    private static void writtenConfigParsesToTheSameModel(long seed) {
        String text = new ConfigGenerator(seed).config();
        ParseResult first = IosParser.parse(text);
        assertThat(first.errors()).as("seed %d: generated text must be valid:\n%s", seed, text).isEmpty();

        String written = ConfigWriter.write(first.config());
        ParseResult second = IosParser.parse(written);
        assertThat(second.errors()).as("written text must be valid:\n%s", written).isEmpty();
        assertThat(ModelDiff.between(first.config(), second.config()))
                .as("model differences after a round trip of:\n%s\nwritten as:\n%s", text, written).isEmpty();
        assertThat(ConfigWriter.write(second.config())).isEqualTo(written);
    }
}
