package dev.vpnrouter.dataplane;

import dev.vpnrouter.ike.ChildSa;

/** Things the data plane tells its host, collected with {@link DataPlane#drainEvents()}. */
public sealed interface DataPlaneEvent {

    enum Direction { INBOUND, OUTBOUND }

    /** Which volume limit was reached. */
    enum Limit {
        /** The kilobyte lifetime: soft at 90% (IOS renegotiates at 90% of {@code lifetime kilobytes}). */
        KILOBYTES,
        /** The 32-bit sequence number space is nearly (soft) or fully (hard) used. */
        SEQUENCE
    }

    /**
     * A soft limit was reached: negotiate a replacement now (once per SA pair). The IKE engine has no hook for
     * this yet; the host should call one when it exists (see the dataplane report).
     */
    record RekeyNeeded(ChildSa child, Direction direction, Limit limit) implements DataPlaneEvent {
    }

    /**
     * A hard limit was reached: the SA refuses traffic in that direction. The host should delete the child in
     * the IKE engine (with a Delete to the peer) so the next packet acquires a new one.
     */
    record Expired(ChildSa child, Direction direction, Limit limit) implements DataPlaneEvent {
    }

    /** A remote network became protected by a first SA: route it into the tunnel device (reverse route). */
    record RouteAdded(ProtectedRoute route) implements DataPlaneEvent {
    }

    /** The last SA protecting a remote network went away. */
    record RouteRemoved(ProtectedRoute route) implements DataPlaneEvent {
    }

    /** A message for the router's log (an invalid SPI, a failed replay check), already rate-limited. */
    record Message(dev.vpnrouter.syslog.RouterMessage message) implements DataPlaneEvent {
    }

    /** A child SA could not be installed (a transform the ESP engine does not carry, bad keys). */
    record InstallFailed(ChildSa child, String reason) implements DataPlaneEvent {
    }
}
