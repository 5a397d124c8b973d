package dev.vpnrouter.config.model;

/**
 * A line the router accepts and keeps but does not act on ({@code duplex auto}, {@code call rsvp-sync},
 * {@code version 12.3}, ...), in canonical spelling. {@code check} reports each as a note; the writer prints it
 * back. For global lines, the placement says where in {@code show running-config} it belongs.
 */
public record PassiveLine(String text, Placement placement) {
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
