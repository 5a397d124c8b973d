package dev.vpnrouter.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vpnrouter.router.LinuxDataPlane;
import dev.vpnrouter.router.RouterRuntime;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code GET /metrics} over HTTP (the JDK's server, one daemon thread): the Prometheus text format of a
 * {@link RouterMetrics}. Anything else is 404 (other paths) or 405 (other methods).
 */
public final class MetricsServer implements AutoCloseable {
    public static final String PATH = "/metrics";
    /** The Prometheus text exposition format, version 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;
    private final RouterMetrics metrics;

    private MetricsServer(HttpServer server, ExecutorService executor, RouterMetrics metrics) {
        this.server = server;
        this.executor = executor;
        this.metrics = metrics;
    }

    /** Listens on {@code address} (port 0: any free port) and serves {@code metrics}. */
    public static MetricsServer start(InetSocketAddress address, RouterMetrics metrics) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new IOException("metrics: cannot listen on " + address.getHostString() + ":" + address.getPort()
                    + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("vpnrouter-metrics").daemon(true).factory());
        MetricsServer s = new MetricsServer(server, executor, metrics);
        server.createContext("/", s::handle);
        server.setExecutor(executor);
        server.start();
        return s;
    }

    /** {@code vpnrouter run --metrics-port}: the meters of a running router, served on {@code host:port}. */
    public static MetricsServer forRouter(String host, int port, RouterRuntime runtime, LinuxDataPlane esp)
            throws IOException {
        if (port < 0 || port > 65_535) {
            throw new IOException("metrics: port " + port + " is not a TCP port (0-65535)");
        }
        InetAddress bind;
        try {
            bind = InetAddress.getByName(host);
        } catch (IOException e) {
            throw new IOException("metrics: bad address " + host + ": " + e.getMessage(), e);
        }
        return start(new InetSocketAddress(bind, port), RouterMetrics.forRuntime(runtime, esp));
    }

    /** Where it listens (the real port when started on port 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The URL to scrape, e.g. {@code http://127.0.0.1:9477/metrics}. */
    public String url() {
        InetSocketAddress a = address();
        return "http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + PATH;
    }

    public RouterMetrics metrics() {
        return metrics;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.equals(PATH) && !path.equals(PATH + "/")) {
                reply(exchange, 404, "not found: scrape " + PATH + "\n", false);
                return;
            }
            String method = exchange.getRequestMethod();
            boolean head = method.equals("HEAD");
            if (!head && !method.equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(exchange, 405, "method not allowed\n", false);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            reply(exchange, 200, metrics.scrape(), head);
        }
    }

    private static void reply(HttpExchange exchange, int status, String body, boolean head) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (status != 200) {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        }
        if (head) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
