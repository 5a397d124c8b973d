package dev.vpnrouter.metrics;

/** {@link PrometheusText} for tests in other packages (the interop tests scrape a real router). */
public final class PrometheusTextAccess {
    private final PrometheusText text;

    private PrometheusTextAccess(PrometheusText text) {
        this.text = text;
    }

    /** Parses strictly; {@link IllegalArgumentException} names the first bad line. */
    public static PrometheusTextAccess parse(String exposition) {
        return new PrometheusTextAccess(PrometheusText.parse(exposition));
    }

    /** The one sample with this name whose labels include {@code labels} ("k", "v", ...). */
    public double value(String name, String... labels) {
        return text.value(name, labels);
    }
}
