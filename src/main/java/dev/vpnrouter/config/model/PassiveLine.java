package dev.vpnrouter.config.model;

import java.util.List;

/**
 * A line the router accepts and keeps but does not act on ({@code duplex auto}, {@code call rsvp-sync},
 * {@code version 12.3}, ...), in canonical spelling. {@code check} reports each as a note; the writer prints it
 * back. For global lines, the placement says where in {@code show running-config} it belongs. The header of a
 * feature vpnrouter does not implement ({@code router ospf 1}, {@code crypto pki trustpoint TP}) carries the
 * indented lines under it in {@code body}, as written.
 */
public record PassiveLine(String text, Placement placement, List<String> body) {
    public PassiveLine {
        body = List.copyOf(body);
    }

    public PassiveLine(String text, Placement placement) {
        this(text, placement, List.of());
    }

    public enum Placement {
        /** Before {@code hostname}: version, service, boot. */
        TOP,
        /** After {@code hostname}: logging, ip subnet-zero, ip cef, ip domain... */
        HEAD,
        /** Before the {@code line} blocks: ip http, call rsvp-sync, dial-peer, mgcp, banners... */
        TAIL,
        /** Inside a block (interface, line): printed with it. */
        BLOCK
    }
}
