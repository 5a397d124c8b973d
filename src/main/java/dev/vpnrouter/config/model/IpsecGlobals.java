package dev.vpnrouter.config.model;

/**
 * {@code crypto ipsec security-association lifetime seconds|kilobytes}, with the IOS defaults.
 *
 * @param lifetimeKilobytes the volume lifetime, or {@link #KILOBYTES_DISABLED} ({@code lifetime kilobytes disable})
 */
public record IpsecGlobals(int lifetimeSeconds, long lifetimeKilobytes) {
    public static final int DEFAULT_SECONDS = 3600;
    public static final long DEFAULT_KILOBYTES = 4_608_000L;
    /** {@code lifetime kilobytes disable}: no volume lifetime, SAs rekey on time only. */
    public static final long KILOBYTES_DISABLED = 0;
    public static final IpsecGlobals DEFAULTS = new IpsecGlobals(DEFAULT_SECONDS, DEFAULT_KILOBYTES);
}
