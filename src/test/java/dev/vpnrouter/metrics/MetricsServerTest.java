package dev.vpnrouter.metrics;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP side: GET /metrics is the exposition; other paths and methods are refused. */
class MetricsServerTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> send(String method, String url) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheExpositionAndRefusesTheRest() throws Exception {
        RouterMetrics metrics = new RouterMetrics(() -> CompletableFuture.completedFuture(
                RouterMetricsTest.snapshot(1)), Duration.ofSeconds(1));
        try (MetricsServer server = MetricsServer.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), metrics)) {
            assertThat(server.address().getPort()).isPositive();
            assertThat(server.url()).startsWith("http://127.0.0.1:").endsWith("/metrics");

            HttpResponse<String> ok = send("GET", server.url());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("Content-Type")).hasValue(MetricsServer.CONTENT_TYPE);
            assertThat(PrometheusText.parse(ok.body()).value("vpnrouter_ike_sas_up")).isEqualTo(3);

            HttpResponse<String> head = send("HEAD", server.url());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();

            assertThat(send("GET", server.url().replace("/metrics", "/")).statusCode()).isEqualTo(404);
            assertThat(send("GET", server.url() + "x").statusCode()).isEqualTo(404);
            HttpResponse<String> post = send("POST", server.url());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        }
    }

    @Test
    void aPortOutOfRangeIsAClearError() {
        assertThatThrownBy(() -> MetricsServer.forRouter("127.0.0.1", 70_000, null, null))
                .hasMessage("metrics: port 70000 is not a TCP port (0-65535)");
    }

    @Test
    void aPortInUseIsAClearError() throws Exception {
        RouterMetrics metrics = new RouterMetrics(CompletableFuture::new, Duration.ofMillis(10));
        try (MetricsServer first = MetricsServer.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), metrics)) {
            InetSocketAddress taken = first.address();
            assertThatThrownBy(() -> MetricsServer.start(taken, metrics))
                    .hasMessageContaining("metrics: cannot listen on 127.0.0.1:" + taken.getPort());
        }
    }
}
