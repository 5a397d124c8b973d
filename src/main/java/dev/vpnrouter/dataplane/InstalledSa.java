package dev.vpnrouter.dataplane;

import dev.vpnrouter.esp.EspInboundSa;
import dev.vpnrouter.esp.EspOutboundSa;
import dev.vpnrouter.esp.EspTransform;
import dev.vpnrouter.ike.ChildSa;

/** One child SA as the data plane runs it: both ESP directions, where to send, and what was reported. */
final class InstalledSa {
    /** Outer IPv4 header. */
    static final int OUTER_IP = 20;
    /** UDP header of ESP-in-UDP. */
    static final int UDP = 8;

    final ChildSa child;
    final EspOutboundSa out;
    final EspInboundSa in;
    final Flow flow;
    /** Largest inner packet that fits the MTU once sealed and carried. */
    final int maxInner;
    int peerAddress;
    int peerPort;
    boolean rekeyReported;
    boolean outboundExpired;
    boolean inboundExpired;

    InstalledSa(ChildSa child, EspOutboundSa out, EspInboundSa in, Flow flow, int mtu) {
        this.child = child;
        this.out = out;
        this.in = in;
        this.flow = flow;
        this.peerAddress = child.peerAddress();
        this.peerPort = child.peerPort();
        this.maxInner = maxInner(out.transform(), mtu - OUTER_IP - (child.peerPort() != 0 ? UDP : 0));
    }

    /** Largest inner length whose sealed form fits {@code room} bytes. */
    static int maxInner(EspTransform t, int room) {
        int n = room - t.headerLength() - t.icvLength() - EspTransform.TRAILER_LENGTH;
        while (n > 0 && t.sealedLength(n) > room) {
            n--;
        }
        return n;
    }

    SaCounters counters() {
        return SaCounters.of(out.counters(), in.counters());
    }

    SaStatus status(boolean current) {
        var o = out.counters();
        var i = in.counters();
        return new SaStatus(child, peerAddress, peerPort, current, SaCounters.of(o, i), o, i, out.lifetimeState(),
                in.lifetimeState(), o.kilobytes(), i.kilobytes());
    }
}
