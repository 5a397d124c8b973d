package dev.vpnrouter.dataplane;

/**
 * Router-wide data plane counters (per-SA counters are in {@link SaCounters}).
 *
 * @param outbound          packets handed to {@link DataPlane#outbound}
 * @param sealed            inner packets sealed (a fragmented packet counts once)
 * @param fragmented        inner packets fragmented before encryption
 * @param fragments         fragments those became
 * @param bypassed          packets matching no crypto map: forwarded in clear
 * @param acquires          ACQUIREs issued
 * @param queued            packets queued waiting for an SA
 * @param queueOverflow     packets dropped because the acquire queue was full
 * @param queueTimeout      queued packets dropped after waiting too long
 * @param noSaDynamic       packets matching a dynamic entry's ACL without an SA
 * @param icmpTooBig        ICMP "fragmentation needed" generated
 * @param outboundDropped   every outbound drop, whatever the reason
 * @param inbound           ESP packets handed to {@link DataPlane#inbound}
 * @param delivered         inner packets delivered to the inside
 * @param unknownSpi        ESP for an SPI we do not have (IOS %CRYPTO-4-RECVD_PKT_INV_SPI)
 * @param runts             ESP shorter than its header
 * @param inboundDropped    every inbound drop, whatever the reason (SA drops included)
 * @param peerMoved         times an authenticated ESP-in-UDP packet moved an SA to a new peer address/port
 * @param messagesRateLimited invalid SPI and replay events that got no message (one a minute per SPI or SA)
 */
public record DataPlaneCounters(long outbound, long sealed, long fragmented, long fragments, long bypassed,
        long acquires, long queued, long queueOverflow, long queueTimeout, long noSaDynamic, long icmpTooBig,
        long outboundDropped, long inbound, long delivered, long unknownSpi, long runts, long inboundDropped,
        long peerMoved, long messagesRateLimited) {
}
