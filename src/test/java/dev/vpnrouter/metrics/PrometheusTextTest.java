package dev.vpnrouter.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test's format checker accepts the format and refuses what Prometheus would refuse. */
class PrometheusTextTest {
    @Test
    void readsHelpTypeLabelsEscapesAndSpecialValues() {
        PrometheusText p = PrometheusText.parse("""
                # HELP a_total things \\\\ counted\\nhere
                # TYPE a_total counter
                a_total{reason="x",path="C:\\\\dir \\"q\\"\\n"} 3.0
                a_total{reason="y"} 1e3
                # TYPE g gauge
                g NaN
                # TYPE h histogram
                h_bucket{le="+Inf"} 2 1700000000000
                h_sum 1.5
                h_count 2
                """);
        assertThat(p.value("a_total", "reason", "x")).isEqualTo(3.0);
        assertThat(p.value("a_total", "reason", "y")).isEqualTo(1000.0);
        assertThat(p.samples("a_total").getFirst().labels()).containsEntry("path", "C:\\dir \"q\"\n");
        assertThat(p.value("g")).isNaN();
        assertThat(p.value("h_count")).isEqualTo(2.0);
        assertThat(p.types).containsEntry("h", "histogram");
    }

    @Test
    void refusesWhatPrometheusRefuses() {
        String[] bad = {
            "1abc 1\n", // name starts with a digit
            "a{b=\"c} 1\n", // unterminated label value
            "a{b=c} 1\n", // unquoted label value
            "a{b=\"\\x\"} 1\n", // unknown escape
            "a{__b=\"c\"} 1\n", // reserved label name
            "a{b=\"c\",b=\"d\"} 1\n", // label twice
            "a 1.2.3\n", // bad number
            "a\n", // no value
            "a 1 notatime\n", // bad timestamp
            "a 1\na 2\n", // the same series twice
            "a 1\nb 1\na{x=\"y\"} 1\n", // family split in two
            "a 1\n# TYPE a gauge\n", // TYPE after samples
            "# TYPE a frobnicator\na 1\n", // unknown type
            "# TYPE a counter\na -1\n", // negative counter
            "# TYPE a counter\na NaN\n", // NaN counter
            "a 1", // no final line feed
        };
        for (String text : bad) {
            assertThatThrownBy(() -> PrometheusText.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
