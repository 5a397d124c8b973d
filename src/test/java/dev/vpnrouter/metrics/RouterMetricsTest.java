package dev.vpnrouter.metrics;

import dev.vpnrouter.ike.NegotiationFailure;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The exposition: names, types, labels and values of every router meter, from a snapshot we choose. */
class RouterMetricsTest {
    static RouterSnapshot snapshot(long scale) {
        Map<NegotiationFailure, Long> failed = new EnumMap<>(NegotiationFailure.class);
        long n = 1;
        for (NegotiationFailure f : NegotiationFailure.values()) {
            failed.put(f, n++ * scale); // each class its own value: a mix-up shows
        }
        return new RouterSnapshot(1_000,
                new RouterSnapshot.Ike(3, 1, 4, 10 * scale, 20 * scale, 7 * scale, 15 * scale, failed, 100 * scale,
                        90 * scale, 5 * scale, 2 * scale, 6 * scale, 11 * scale, 12 * scale, 13 * scale, 14 * scale,
                        16 * scale, 17 * scale),
                new RouterSnapshot.Esp(1000 * scale, 900 * scale, 84_000 * scale, 75_600 * scale, 3 * scale,
                        4 * scale),
                List.of(new RouterSnapshot.Pool("ippool", 2, 254), new RouterSnapshot.Pool("other \"pool\"", 0, 10)));
    }

    @Test
    void everyRouterMeterIsExposedUnderItsNameWithItsValue() {
        RouterMetrics metrics = new RouterMetrics(() -> CompletableFuture.completedFuture(snapshot(1)),
                Duration.ofSeconds(1));
        PrometheusText p = PrometheusText.parse(metrics.scrape());

        assertThat(p.value("vpnrouter_ike_sas_up")).isEqualTo(3);
        assertThat(p.value("vpnrouter_ike_sas_negotiating")).isEqualTo(1);
        assertThat(p.value("vpnrouter_ipsec_sas_up")).isEqualTo(4);
        assertThat(p.types).containsEntry("vpnrouter_ike_sas_up", "gauge")
                .containsEntry("vpnrouter_ipsec_sas_up", "gauge")
                .containsEntry("vpnrouter_ike_negotiations_started_total", "counter")
                .containsEntry("vpnrouter_ike_negotiations_failed_total", "counter")
                .containsEntry("vpnrouter_esp_bytes_total", "counter")
                .containsEntry("vpnrouter_pool_addresses_in_use", "gauge");

        assertThat(p.value("vpnrouter_ike_negotiations_started_total", "phase", "1")).isEqualTo(10);
        assertThat(p.value("vpnrouter_ike_negotiations_started_total", "phase", "2")).isEqualTo(20);
        assertThat(p.value("vpnrouter_ike_negotiations_succeeded_total", "phase", "1")).isEqualTo(7);
        assertThat(p.value("vpnrouter_ike_negotiations_succeeded_total", "phase", "2")).isEqualTo(15);
        long n = 1;
        for (NegotiationFailure f : NegotiationFailure.values()) {
            assertThat(p.value("vpnrouter_ike_negotiations_failed_total", "reason", f.label())).as(f.label())
                    .isEqualTo(n++);
        }
        assertThat(p.samples("vpnrouter_ike_negotiations_failed_total")).hasSize(NegotiationFailure.values().length);
        assertThat(p.value("vpnrouter_ike_datagrams_total", "direction", "in")).isEqualTo(100);
        assertThat(p.value("vpnrouter_ike_datagrams_total", "direction", "out")).isEqualTo(90);
        assertThat(p.value("vpnrouter_ike_retransmits_total")).isEqualTo(5);
        assertThat(p.value("vpnrouter_ike_malformed_total")).isEqualTo(2);
        assertThat(p.value("vpnrouter_ike_half_open_dropped_total")).isEqualTo(6);
        assertThat(p.value("vpnrouter_ike_aggressive_rate_limited_total")).isEqualTo(11);
        assertThat(p.value("vpnrouter_ike_bad_messages_dropped_total")).isEqualTo(12);
        assertThat(p.value("vpnrouter_ike_main_mode_cookies_total", "outcome", "sent")).isEqualTo(13);
        assertThat(p.value("vpnrouter_ike_main_mode_cookies_total", "outcome", "unanswered")).isEqualTo(14);
        assertThat(p.value("vpnrouter_ike_main_mode_cookies_total", "outcome", "redeemed")).isEqualTo(16);
        assertThat(p.value("vpnrouter_ike_main_mode_cookies_total", "outcome", "rejected")).isEqualTo(17);
        assertThat(p.samples("vpnrouter_ike_main_mode_cookies_total")).hasSize(4);

        assertThat(p.value("vpnrouter_esp_packets_total", "direction", "in")).isEqualTo(1000);
        assertThat(p.value("vpnrouter_esp_packets_total", "direction", "out")).isEqualTo(900);
        assertThat(p.value("vpnrouter_esp_bytes_total", "direction", "in")).isEqualTo(84_000);
        assertThat(p.value("vpnrouter_esp_bytes_total", "direction", "out")).isEqualTo(75_600);
        assertThat(p.value("vpnrouter_esp_dropped_total", "direction", "in")).isEqualTo(3);
        assertThat(p.value("vpnrouter_esp_dropped_total", "direction", "out")).isEqualTo(4);

        assertThat(p.value("vpnrouter_pool_addresses_in_use", "pool", "ippool")).isEqualTo(2);
        assertThat(p.value("vpnrouter_pool_addresses", "pool", "ippool")).isEqualTo(254);
        // A pool name with quotes survives the label escaping.
        assertThat(p.value("vpnrouter_pool_addresses", "pool", "other \"pool\"")).isEqualTo(10);
        assertThat(p.value("vpnrouter_metrics_stale_scrapes_total")).isZero();
        // Micrometer's JVM meters come along.
        assertThat(p.types).containsKey("jvm_memory_used_bytes").containsKey("process_uptime_seconds");
        assertThat(p.help.get("vpnrouter_ike_negotiations_failed_total")).contains("by class of reason");
    }

    @Test
    void eachScrapeTakesAFreshSnapshot() {
        AtomicReference<RouterSnapshot> now = new AtomicReference<>(snapshot(1));
        RouterMetrics metrics = new RouterMetrics(() -> CompletableFuture.completedFuture(now.get()),
                Duration.ofSeconds(1));
        assertThat(PrometheusText.parse(metrics.scrape()).value("vpnrouter_esp_bytes_total", "direction", "in"))
                .isEqualTo(84_000);
        now.set(snapshot(2));
        assertThat(PrometheusText.parse(metrics.scrape()).value("vpnrouter_esp_bytes_total", "direction", "in"))
                .isEqualTo(168_000);
    }

    @Test
    void aLoopThatDoesNotAnswerCostsOneTimeoutAndServesTheLastSnapshot() {
        AtomicReference<CompletableFuture<RouterSnapshot>> next =
                new AtomicReference<>(CompletableFuture.completedFuture(snapshot(1)));
        RouterMetrics metrics = new RouterMetrics(next::get, Duration.ofMillis(200));
        metrics.scrape();
        next.set(new CompletableFuture<>()); // the loop is stuck: never answers
        long start = System.nanoTime();
        PrometheusText p = PrometheusText.parse(metrics.scrape());
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(tookMillis).isBetween(150L, 2_000L);
        assertThat(p.value("vpnrouter_ike_sas_up")).isEqualTo(3);
        assertThat(p.value("vpnrouter_metrics_stale_scrapes_total")).isEqualTo(1);
        assertThat(metrics.staleScrapes()).isEqualTo(1);
        // A loop that failed the request (it stopped) is stale too, without waiting.
        next.set(CompletableFuture.failedFuture(new IllegalStateException("stopped")));
        assertThat(metrics.refresh()).isFalse();
        assertThat(metrics.staleScrapes()).isEqualTo(2);
    }

    @Test
    void beforeTheFirstSnapshotEveryCounterIsZero() {
        RouterMetrics metrics = new RouterMetrics(CompletableFuture::new, Duration.ofMillis(10));
        PrometheusText p = PrometheusText.parse(metrics.scrape());
        assertThat(p.value("vpnrouter_ike_sas_up")).isZero();
        assertThat(p.value("vpnrouter_ike_negotiations_failed_total", "reason", "timeout")).isZero();
        assertThat(p.samples("vpnrouter_pool_addresses")).isEmpty();
    }
}
