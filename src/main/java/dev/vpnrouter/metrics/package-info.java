/**
 * Prometheus metrics of a running router (issue 6): {@link dev.vpnrouter.metrics.SnapshotTaker} reads the IKE engine
 * and the data plane on the runtime's loop thread into an immutable {@link dev.vpnrouter.metrics.RouterSnapshot};
 * {@link dev.vpnrouter.metrics.RouterMetrics} binds Micrometer meters to the latest snapshot;
 * {@link dev.vpnrouter.metrics.MetricsServer} serves them on {@code /metrics} ({@code vpnrouter run --metrics-port}).
 */
package dev.vpnrouter.metrics;
