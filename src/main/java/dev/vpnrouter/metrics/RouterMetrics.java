package dev.vpnrouter.metrics;

import dev.vpnrouter.dataplane.DataPlane;
import dev.vpnrouter.ike.NegotiationFailure;
import dev.vpnrouter.router.LinuxDataPlane;
import dev.vpnrouter.router.RouterRuntime;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToDoubleFunction;

/**
 * The router's Prometheus meters (Micrometer). Each scrape first asks for a fresh {@link RouterSnapshot} (taken on
 * the runtime's loop thread) and waits at most {@link #timeout()} for it; when the loop is busy or gone, the scrape
 * serves the last snapshot and counts a stale scrape instead of hanging. Meters only read the current snapshot.
 *
 * <p>Names (Prometheus form): {@code vpnrouter_ike_sas_up}, {@code vpnrouter_ike_sas_negotiating},
 * {@code vpnrouter_ipsec_sas_up}, {@code vpnrouter_ike_negotiations_started_total{phase}},
 * {@code vpnrouter_ike_negotiations_succeeded_total{phase}}, {@code vpnrouter_ike_negotiations_failed_total{reason}},
 * {@code vpnrouter_ike_datagrams_total{direction}}, {@code vpnrouter_ike_retransmits_total},
 * {@code vpnrouter_ike_queue_drops_total}, {@code vpnrouter_ike_kernel_drops_total} (with a runtime),
 * {@code vpnrouter_ike_malformed_total}, {@code vpnrouter_ike_half_open_dropped_total},
 * {@code vpnrouter_esp_packets_total{direction}},
 * {@code vpnrouter_esp_bytes_total{direction}}, {@code vpnrouter_esp_dropped_total{direction}},
 * {@code vpnrouter_pool_addresses_in_use{pool}}, {@code vpnrouter_pool_addresses{pool}},
 * {@code vpnrouter_metrics_stale_scrapes_total}; plus Micrometer's JVM memory, thread and uptime meters (not its
 * CPU meters, whose names promtool's lint rejects).
 */
public final class RouterMetrics {
    /** How long a scrape waits for the loop thread by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    /** Where snapshots come from: a request the loop thread completes. */
    @FunctionalInterface
    public interface SnapshotSource {
        CompletableFuture<RouterSnapshot> request();
    }

    private final SnapshotSource source;
    private final Duration timeout;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Set<String> poolsRegistered = new HashSet<>();
    private volatile RouterSnapshot current = RouterSnapshot.EMPTY;
    private volatile long staleScrapes;

    public RouterMetrics(SnapshotSource source, Duration timeout) {
        this.source = source;
        this.timeout = timeout;
        bindRouterMeters();
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /**
     * Meters for a running router: snapshots of its engine and, when {@code esp} is not null, its data plane, taken
     * on the runtime's loop thread. The pools reported are the engine's configuration's, as it is at each scrape.
     */
    public static RouterMetrics forRuntime(RouterRuntime runtime, LinuxDataPlane esp) {
        SnapshotTaker taker = new SnapshotTaker();
        DataPlane dataPlane = esp == null ? null : esp.dataPlane();
        runtime.addEffectListener(effect -> taker.beforeEffect(effect, dataPlane));
        RouterMetrics metrics = new RouterMetrics(() -> {
            CompletableFuture<RouterSnapshot> answer = new CompletableFuture<>();
            if (!runtime.isRunning()) {
                answer.completeExceptionally(new IllegalStateException("the router's loop has stopped"));
                return answer;
            }
            runtime.submit(engine -> {
                try {
                    answer.complete(taker.take(engine, dataPlane, System.currentTimeMillis()));
                } catch (RuntimeException e) {
                    answer.completeExceptionally(e);
                }
            });
            return answer;
        }, DEFAULT_TIMEOUT);
        // Read off the loop (volatile counters), so they show even when the loop is too busy to snapshot.
        FunctionCounter.builder("vpnrouter.ike.queue.drops", runtime, RouterRuntime::ikeQueueDrops)
                .description("IKE datagrams dropped because the loop's queues were full (a burst the loop could not "
                        + "keep up with)")
                .register(metrics.registry);
        FunctionCounter.builder("vpnrouter.ike.admission.drops", runtime, RouterRuntime::ikeAdmissionDrops)
                .description("IKE first messages (zero responder cookie) dropped before the loop because their source "
                        + "address sent more than its budget (10 a second, burst 50)")
                .register(metrics.registry);
        FunctionCounter.builder("vpnrouter.ike.kernel.drops", runtime, RouterRuntime::ikeKernelDrops)
                .description("IKE datagrams the kernel dropped for a full socket receive buffer (SO_RXQ_OVFL)")
                .register(metrics.registry);
        return metrics;
    }

    public Duration timeout() {
        return timeout;
    }

    /** The registry, for adding meters of other parts. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The snapshot the meters show now. */
    public RouterSnapshot current() {
        return current;
    }

    /** Scrapes that served an older snapshot because the loop did not answer in time. */
    public long staleScrapes() {
        return staleScrapes;
    }

    /** A fresh snapshot (or the last one, see above), in the Prometheus text format 0.0.4. */
    public synchronized String scrape() {
        refresh();
        return registry.scrape();
    }

    /** Asks for a snapshot and waits at most {@link #timeout()}; returns false (and keeps the old one) when late. */
    public synchronized boolean refresh() {
        CompletableFuture<RouterSnapshot> request = source.request();
        try {
            RouterSnapshot s = request.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            current = s;
            registerPools(s);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            staleScrapes++;
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            staleScrapes++;
            return false;
        }
    }

    private void bindRouterMeters() {
        gauge("vpnrouter.ike.sas.up", "ISAKMP SAs with phase 1 complete", s -> s.ike().sasUp());
        gauge("vpnrouter.ike.sas.negotiating", "ISAKMP SAs still negotiating phase 1", s -> s.ike().sasNegotiating());
        gauge("vpnrouter.ipsec.sas.up", "IPsec SA pairs installed", s -> s.ike().ipsecSasUp());

        counter("vpnrouter.ike.negotiations.started", "negotiations begun (either role; phase 2 is Quick Mode)",
                s -> s.ike().phase1Started(), "phase", "1");
        counter("vpnrouter.ike.negotiations.started", "negotiations begun (either role; phase 2 is Quick Mode)",
                s -> s.ike().phase2Started(), "phase", "2");
        counter("vpnrouter.ike.negotiations.succeeded", "negotiations completed (phase 2: IPsec SA pairs)",
                s -> s.ike().phase1Succeeded(), "phase", "1");
        counter("vpnrouter.ike.negotiations.succeeded", "negotiations completed (phase 2: IPsec SA pairs)",
                s -> s.ike().phase2Succeeded(), "phase", "2");
        for (NegotiationFailure reason : NegotiationFailure.values()) {
            counter("vpnrouter.ike.negotiations.failed", "negotiations refused, by class of reason",
                    s -> s.ike().failed(reason), "reason", reason.label());
        }
        counter("vpnrouter.ike.datagrams", "IKE datagrams received and sent", s -> s.ike().datagramsIn(),
                "direction", "in");
        counter("vpnrouter.ike.datagrams", "IKE datagrams received and sent", s -> s.ike().datagramsOut(),
                "direction", "out");
        counter("vpnrouter.ike.retransmits", "IKE requests sent again for want of an answer",
                s -> s.ike().retransmits());
        counter("vpnrouter.ike.malformed", "IKE datagrams dropped as malformed", s -> s.ike().malformed());
        counter("vpnrouter.ike.half.open.dropped", "half-open ISAKMP SAs dropped by the caps (16 per source, "
                + "crypto call admission limit ike in-negotiation-sa in total): a flood, or too small a limit",
                s -> s.ike().halfOpenDropped());
        counter("vpnrouter.ike.aggressive.rate.limited", "Aggressive Mode first messages dropped unanswered over the "
                + "rate (per source and in total): a flood", s -> s.ike().aggressiveRateLimited());
        counter("vpnrouter.ike.bad.messages.dropped", "MM5/AM3 that did not decrypt or verify, dropped while the "
                + "negotiation waits for the real one (the third ends it)", s -> s.ike().badMessagesDropped());
        String cookies = "Main Mode stateless cookies under pressure (sent: MM2s that kept no state, unanswered: "
                + "MM1s left without an answer, redeemed: MM3s that proved their address, rejected: unknown cookies)";
        counter("vpnrouter.ike.main.mode.cookies", cookies, s -> s.ike().cookiesSent(), "outcome", "sent");
        counter("vpnrouter.ike.main.mode.cookies", cookies, s -> s.ike().cookiesUnanswered(), "outcome",
                "unanswered");
        counter("vpnrouter.ike.main.mode.cookies", cookies, s -> s.ike().cookiesRedeemed(), "outcome", "redeemed");
        counter("vpnrouter.ike.main.mode.cookies", cookies, s -> s.ike().cookiesRejected(), "outcome", "rejected");

        counter("vpnrouter.esp.packets", "packets through IPsec SAs (in: decapsulated, out: encapsulated)",
                s -> s.esp().packetsIn(), "direction", "in");
        counter("vpnrouter.esp.packets", "packets through IPsec SAs (in: decapsulated, out: encapsulated)",
                s -> s.esp().packetsOut(), "direction", "out");
        counter("vpnrouter.esp.bytes", "inner bytes through IPsec SAs", s -> s.esp().bytesIn(), "direction", "in");
        counter("vpnrouter.esp.bytes", "inner bytes through IPsec SAs", s -> s.esp().bytesOut(), "direction", "out");
        counter("vpnrouter.esp.dropped", "packets the data plane dropped (in: ESP, out: cleartext)",
                s -> s.esp().droppedIn(), "direction", "in");
        counter("vpnrouter.esp.dropped", "packets the data plane dropped (in: ESP, out: cleartext)",
                s -> s.esp().droppedOut(), "direction", "out");

        FunctionCounter.builder("vpnrouter.metrics.stale.scrapes", this, m -> m.staleScrapes)
                .description("scrapes that served an older snapshot because the router's loop did not answer")
                .register(registry);
    }

    /** Pools appear in the first snapshot that has them; one that leaves the configuration reads NaN. */
    private void registerPools(RouterSnapshot s) {
        for (RouterSnapshot.Pool p : s.pools()) {
            if (poolsRegistered.add(p.name())) {
                String name = p.name();
                Gauge.builder("vpnrouter.pool.addresses.in.use", this, m -> pool(m.current, name, true))
                        .description("addresses of the ip local pool handed out now").tag("pool", name)
                        .strongReference(true).register(registry);
                Gauge.builder("vpnrouter.pool.addresses", this, m -> pool(m.current, name, false))
                        .description("addresses in the ip local pool").tag("pool", name)
                        .strongReference(true).register(registry);
            }
        }
    }

    private static double pool(RouterSnapshot s, String name, boolean inUse) {
        for (RouterSnapshot.Pool p : s.pools()) {
            if (p.name().equals(name)) {
                return inUse ? p.inUse() : p.size();
            }
        }
        return Double.NaN;
    }

    private void gauge(String name, String help, ToDoubleFunction<RouterSnapshot> value) {
        Gauge.builder(name, this, m -> value.applyAsDouble(m.current)).description(help).strongReference(true)
                .register(registry);
    }

    private void counter(String name, String help, ToDoubleFunction<RouterSnapshot> value, String... tags) {
        FunctionCounter.builder(name, this, m -> value.applyAsDouble(m.current)).description(help).tags(tags)
                .register(registry);
    }
}
