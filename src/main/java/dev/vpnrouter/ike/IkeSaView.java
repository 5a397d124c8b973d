package dev.vpnrouter.ike;

/** A read-only look at an ISAKMP SA, what {@code show crypto isakmp sa [detail]} prints. */
public interface IkeSaView {
    int connId();

    int localAddress();

    int peerAddress();

    int peerPort();

    boolean initiator();

    /** IOS state name: MM_NO_STATE, MM_SA_SETUP, MM_KEY_EXCH, QM_IDLE, ... */
    String iosState();

    /** "3des", "aes256", ...; empty before the proposal is chosen. */
    String encryption();

    /** "sha", "md5", ... */
    String hash();

    /** "psk". */
    String authentication();

    int dhGroup();

    /** Seconds of lifetime left at {@code nowMillis}. */
    long remainingSeconds(long nowMillis);

    /** Capability codes: C (mode config), D (DPD), K (keepalives), N (NAT-T), X (Xauth). */
    String capabilities();

    /** Name of the matched ISAKMP profile, or null. */
    String profile();

    /** The peer's phase-1 identity as text (address, group name), or null before it is known. */
    String peerIdentity();

    boolean established();

    /** The user Xauth authenticated on this SA (hub side), or null. */
    default String xauthUser() {
        return null;
    }

    /** The Mode Config address: handed to the client (hub side) or received (client side); 0 when none. */
    default int assignedAddress() {
        return 0;
    }
}
