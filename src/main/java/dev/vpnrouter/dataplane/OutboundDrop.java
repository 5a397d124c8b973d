package dev.vpnrouter.dataplane;

/** Why the data plane refused to send an outbound packet; each counts in {@link DataPlaneCounters}. */
public enum OutboundDrop {
    /** Not a well-formed IPv4 packet (crypto maps here are IPv4 only). */
    NOT_IPV4,
    /** Matched the ACL of a dynamic crypto map entry without an SA: dynamic entries never initiate (IOS). */
    NO_SA_DYNAMIC,
    /** The acquire queue of that crypto map entry was full. */
    ACQUIRE_QUEUE_FULL,
    /** The packet waited for IKE longer than the queue keeps packets. */
    ACQUIRE_QUEUE_TIMEOUT,
    /** Every SA for the flow reached its hard lifetime or ran out of sequence numbers, and none can be acquired. */
    SA_EXPIRED,
    /** Too big with DF set, but it is itself an ICMP error, so no "fragmentation needed" is sent about it. */
    TOO_BIG,
    /** The ESP engine refused for another reason (a bug: counted, never thrown). */
    SEAL_FAILED
}
