package dev.vpnrouter.syslog;

import static dev.vpnrouter.syslog.Severity.ERRORS;
import static dev.vpnrouter.syslog.Severity.INFORMATIONAL;
import static dev.vpnrouter.syslog.Severity.NOTIFICATIONS;
import static dev.vpnrouter.syslog.Severity.WARNINGS;

/**
 * The router's messages, with IOS's facility, severity, mnemonic and wording where vpnrouter does what IOS does,
 * so that what watches an IOS router's syslog (filters on {@code %CRYPTO-5-SESSION_STATUS}, alert rules) works
 * unchanged. The two that IOS does not have ({@code IKMP_REFUSED}, {@code IKMP_LIFETIME_IGNORED}) say what IOS
 * only shows with debug on. All texts are in this one class.
 */
public final class IosMessages {
    private static final String CRYPTO = "CRYPTO";

    private IosMessages() {
    }

    /** {@code %CRYPTO-5-SESSION_STATUS: Crypto tunnel is UP.  Peer 198.51.100.2:500  Id: 198.51.100.2}. */
    public static RouterMessage tunnelUp(String peer, int port, String id) {
        return new RouterMessage(CRYPTO, NOTIFICATIONS, "SESSION_STATUS", "Crypto tunnel is UP.  Peer " + peer + ":"
                + port + "  Id: " + id);
    }

    public static RouterMessage tunnelDown(String peer, int port, String id) {
        return new RouterMessage(CRYPTO, NOTIFICATIONS, "SESSION_STATUS", "Crypto tunnel is DOWN.  Peer " + peer + ":"
                + port + "  Id: " + id);
    }

    /** ISAKMP starts or stops listening (the router's start and orderly stop). */
    public static RouterMessage isakmp(boolean on) {
        return new RouterMessage(CRYPTO, INFORMATIONAL, "ISAKMP_ON_OFF", "ISAKMP is " + (on ? "ON" : "OFF"));
    }

    /** An ISAKMP message for cookies we do not know that does not start a negotiation. */
    public static RouterMessage noSa(String from) {
        return new RouterMessage(CRYPTO, WARNINGS, "IKMP_NO_SA", "IKE message from " + from
                + " has no SA and is not an initialization offer");
    }

    /** An authenticating message (MM5, AM3) that did not decrypt or verify: dropped. */
    public static RouterMessage badMessage(String peer) {
        return new RouterMessage(CRYPTO, WARNINGS, "IKMP_BAD_MESSAGE", "IKE message from " + peer
                + " failed its sanity check or is malformed");
    }

    /** {@code mode}: "Main", "Aggressive" or "Quick". */
    public static RouterMessage modeFailure(String mode, String peer) {
        return new RouterMessage(CRYPTO, INFORMATIONAL, "IKMP_MODE_FAILURE", "Processing of " + mode
                + " mode failed with peer at " + peer);
    }

    /** No pre-shared key for the peer (IOS says it of any key it cannot find). */
    public static RouterMessage queryKeyFailed() {
        return new RouterMessage(CRYPTO, ERRORS, "IKMP_QUERY_KEY", "Querying key pair failed.");
    }

    /** vpnrouter's own: why a negotiation was refused, in one line (IOS shows this only with debug). */
    public static RouterMessage refused(String peer, String reason) {
        return new RouterMessage(CRYPTO, INFORMATIONAL, "IKMP_REFUSED", (peer == null ? "" : "peer " + peer + ": ")
                + reason);
    }

    /** vpnrouter's own: a peer's lifetime below what IOS accepts was replaced. */
    public static RouterMessage lifetimeIgnored(String text) {
        return new RouterMessage(CRYPTO, NOTIFICATIONS, "IKMP_LIFETIME_IGNORED", text);
    }

    /** ESP for an SPI we do not have. */
    public static RouterMessage invalidSpi(String destination, int spi, String source) {
        return new RouterMessage(CRYPTO, WARNINGS, "RECVD_PKT_INV_SPI", "decaps: rec'd IPSEC packet has invalid spi "
                + "for destaddr=" + destination + ", prot=50, spi=0x" + String.format("%08X", spi) + "("
                + Integer.toUnsignedString(spi) + "), srcaddr=" + source);
    }

    /** An ESP packet that failed the anti-replay check. */
    public static RouterMessage replay(long connectionId, long sequence) {
        return new RouterMessage(CRYPTO, WARNINGS, "PKT_REPLAY_ERR", "decrypt: replay check failed connection id="
                + connectionId + ", sequence number=" + sequence);
    }

    /**
     * Leaving configure terminal: "Configured from console by console" on the console line, "Configured from console
     * by admin on vty0 (10.1.1.5)" on a vty, "by vty0 (10.1.1.5)" when the vty login named no user.
     */
    public static RouterMessage configured(String user, String vty, String location) {
        String by = vty == null ? user : (user == null ? "" : user + " on ") + vty + " (" + location + ")";
        return new RouterMessage("SYS", NOTIFICATIONS, "CONFIG_I", "Configured from console by " + by);
    }
}
