package dev.vpnrouter.config.model;

/** {@code crypto ipsec security-association lifetime seconds|kilobytes}, with the IOS defaults. */
public record IpsecGlobals(int lifetimeSeconds, long lifetimeKilobytes) {
    public static final int DEFAULT_SECONDS = 3600;
    public static final long DEFAULT_KILOBYTES = 4_608_000L;
    public static final IpsecGlobals DEFAULTS = new IpsecGlobals(DEFAULT_SECONDS, DEFAULT_KILOBYTES);
}
