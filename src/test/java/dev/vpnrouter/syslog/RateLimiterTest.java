package dev.vpnrouter.syslog;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {
    @Test
    void oneMessagePerKeyPerInterval() {
        RateLimiter r = new RateLimiter(60_000, 10);
        assertThat(r.allow(7, 0)).isTrue();
        for (int i = 1; i < 1000; i++) {
            assertThat(r.allow(7, i * 50L)).isFalse(); // a flood for 50 s
        }
        assertThat(r.allow(8, 1_000)).as("another key").isTrue();
        assertThat(r.allow(7, 60_000)).as("a minute later").isTrue();
        assertThat(r.suppressed()).isEqualTo(999);
    }

    @Test
    void aFloodOfNewKeysGetsNoMoreThanTheBudget() {
        RateLimiter r = new RateLimiter(60_000, 10);
        int allowed = 0;
        for (long spi = 0; spi < 100_000; spi++) {
            allowed += r.allow(spi, spi / 10) ? 1 : 0; // 100,000 SPIs in 10 s
        }
        assertThat(allowed).isEqualTo(10);
        assertThat(r.allow(123_456, 70_000)).as("the next interval").isTrue();
    }
}
