package dev.vpnrouter.dataplane;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.common.Ipv4Packet;
import dev.vpnrouter.esp.EspDropReason;
import dev.vpnrouter.esp.EspOutboundSa;
import dev.vpnrouter.esp.EspSealResult;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.IkeEffect;
import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.EspProposal;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import dev.vpnrouter.ike.wire.IpsecAttribute;
import dev.vpnrouter.ike.wire.TransformId;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The data plane on its own: a spoke-shaped and a hub-shaped instance with hand-made SA pairs. */
class DataPlaneTest {
    static final int HUB = Ipv4.parse("203.0.113.2");
    static final int SPOKE = Ipv4.parse("198.51.100.146");
    static final int HUB_HOST = Ipv4.parse("10.1.1.10");
    static final int SPOKE_HOST = Ipv4.parse("10.2.2.10");
    static final TrafficSelector NET1 = TrafficSelector.subnet(Ipv4.parse("10.1.0.0"), Ipv4.parse("255.255.0.0"));
    static final TrafficSelector NET2 = TrafficSelector.subnet(Ipv4.parse("10.2.0.0"), Ipv4.parse("255.255.0.0"));
    static final EspProposal MYSET = new EspProposal("myset", TransformId.Esp.ESP_3DES, 0,
            IpsecAttribute.AuthAlgorithm.HMAC_SHA, true);
    static final ChildPolicy SPOKE_ENTRY = new ChildPolicy("mymap", 10, false, null, 0, List.of(HUB),
            ChildPolicy.permits(List.of(new ChildPolicy.SelectorPair(NET2, NET1))), "100", List.of(MYSET), 0, 0, 0, null, false);
    static final ChildPolicy HUB_ENTRY = new ChildPolicy("mymap", 10, true, "dynmap", 10, List.of(), List.of(), null,
            List.of(MYSET), 0, 0, 0, "L2L", true);

    final SplittableRandom random = new SplittableRandom(42);
    long nextId = 1;

    /** Both ends of one negotiated SA pair: [spoke side, hub side]. */
    ChildSa[] pair(EspProposal transform, int spokePort, int hubPort, long kilobytes) {
        int len = transform.keymatLength();
        byte[] k1 = bytes(len);
        byte[] k2 = bytes(len);
        int spi1 = 0x1000 + (int) nextId * 2;
        int spi2 = spi1 + 1;
        long id = nextId++;
        ChildSa spoke = new ChildSa(id, 1, SPOKE_ENTRY, SPOKE, HUB, spokePort == 0 ? 0 : 4500, hubPort, NET2, NET1,
                transform, spi1, k1, spi2, k2, 3600, kilobytes, 0, true);
        ChildSa hub = new ChildSa(100 + id, 1, HUB_ENTRY, HUB, SPOKE, hubPort == 0 ? 0 : 4500, spokePort, NET1, NET2,
                transform, spi2, k2, spi1, k1, 3600, kilobytes, 0, false);
        return new ChildSa[] {spoke, hub};
    }

    ChildSa[] pair() {
        return pair(MYSET, 0, 0, 0);
    }

    byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static DataPlane spokePlane() {
        return new DataPlane(List.of(SPOKE_ENTRY), DataPlaneConfig.defaults(Ipv4.parse("10.2.2.2")));
    }

    static DataPlane hubPlane() {
        return new DataPlane(List.of(HUB_ENTRY), DataPlaneConfig.defaults(Ipv4.parse("10.1.1.1")));
    }

    static byte[] ping(int src, int dst, int seq, int size) {
        return Ipv4Packet.icmpEcho(src, dst, true, 77, seq, new byte[size]);
    }

    static EspDatagram single(OutboundResult r) {
        assertThat(r).isInstanceOf(OutboundResult.Seal.class);
        List<EspDatagram> d = ((OutboundResult.Seal) r).datagrams();
        assertThat(d).hasSize(1);
        return d.getFirst();
    }

    static byte[] deliver(InboundResult r) {
        assertThat(r).isInstanceOf(InboundResult.Deliver.class);
        return ((InboundResult.Deliver) r).packet();
    }

    @Test
    void theAllocationFreePathsSealIntoTheTargetOpenIntoTheBufferAndCountTheSame() {
        DataPlane spoke = spokePlane();
        DataPlane hub = hubPlane();
        SealTarget target = new SealTarget(2048);
        byte[] first = ping(SPOKE_HOST, HUB_HOST, 1, 56);
        // No SA yet: the slow path's answer comes back in other().
        assertThat(spoke.outbound(first, 0, first.length, 0, target)).isFalse();
        assertThat(target.other()).isInstanceOf(OutboundResult.Acquire.class);
        ChildSa[] p = pair(MYSET, 4500, 4500, 0);
        List<OutboundResult> waiting = spoke.install(p[0], 1);
        assertThat(hub.install(p[1], 1)).isEmpty();
        assertThat(waiting).hasSize(1);
        byte[] queued = single(waiting.getFirst()).esp();
        byte[] inner = new byte[2048];
        assertThat(hub.open(queued, 0, queued.length, SPOKE, 4500, 1, inner, 0)).isEqualTo(first.length);
        for (int i = 2; i <= 6; i++) {
            byte[] request = ping(SPOKE_HOST, HUB_HOST, i, 100 * i);
            byte[] padded = new byte[request.length + 7];
            System.arraycopy(request, 0, padded, 3, request.length);
            assertThat(spoke.outbound(padded, 3, request.length + 4, i, target)).isTrue();
            assertThat(target.other()).isNull();
            assertThat(target.peerAddress()).isEqualTo(HUB);
            assertThat(target.peerPort()).isEqualTo(4500);
            assertThat(target.udpEncapsulated()).isTrue();
            assertThat(target.childId()).isEqualTo(p[0].id());
            assertThat(target.length()).isEqualTo(EspTransforms.of(MYSET).sealedLength(request.length));
            int n = hub.open(target.buffer(), 0, target.length(), SPOKE, 4500, i, inner, 5);
            assertThat(n).isEqualTo(request.length);
            assertThat(Arrays.copyOfRange(inner, 5, 5 + n)).isEqualTo(request);
            // The same packet again is a replay: a negative code, counted on the SA.
            assertThat(hub.open(target.buffer(), 0, target.length(), SPOKE, 4500, i, inner, 0))
                    .isEqualTo(EspDropReason.REPLAY.code());
        }
        byte[] garbage = bytes(40);
        assertThat(hub.open(garbage, 0, garbage.length, SPOKE, 4500, 9, inner, 0))
                .isEqualTo(EspDropReason.WRONG_SPI.code());
        SaCounters s = spoke.sa(p[0].id()).counters();
        assertThat(s.pktsEncaps()).isEqualTo(6);
        SaCounters h = hub.sa(p[1].id()).counters();
        assertThat(h.pktsDecaps()).isEqualTo(6);
        assertThat(h.replayFailures()).isEqualTo(5);
        assertThat(hub.counters().unknownSpi()).isEqualTo(1);
        assertThat(spoke.counters().sealed()).isEqualTo(6);
        assertThat(spoke.counters().outbound()).isEqualTo(6);
        // Too big for the path (DF clear): fragmented before encryption, through other(), not the target.
        byte[] big = ping(SPOKE_HOST, HUB_HOST, 7, 1480);
        assertThat(spoke.outbound(big, 0, big.length, 7, target)).isFalse();
        assertThat(((OutboundResult.Seal) target.other()).datagrams()).hasSize(2);
        // Not IPv4 at all.
        assertThat(spoke.outbound(new byte[10], 0, 10, 7, target)).isFalse();
        assertThat(target.other()).isEqualTo(new OutboundResult.Drop(OutboundDrop.NOT_IPV4));
    }

    @Test
    void sealsAndOpensBothWaysAndCountsLikeIos() {
        DataPlane spoke = spokePlane();
        DataPlane hub = hubPlane();
        ChildSa[] p = pair();
        assertThat(spoke.install(p[0], 0)).isEmpty();
        assertThat(hub.install(p[1], 0)).isEmpty();
        for (int i = 1; i <= 5; i++) {
            byte[] request = ping(SPOKE_HOST, HUB_HOST, i, 56);
            EspDatagram d = single(spoke.outbound(request, i));
            assertThat(d.peerAddress()).isEqualTo(HUB);
            assertThat(d.udpEncapsulated()).isFalse();
            assertThat(d.esp().length).isEqualTo(8 + 8 + 88 + 12); // 84-byte ping padded to 88 for 3DES
            assertThat(deliver(hub.inbound(d.esp(), SPOKE, 0, i))).isEqualTo(request);
            byte[] reply = Ipv4Packet.echoReplyTo(request, 0, request.length);
            assertThat(deliver(spoke.inbound(single(hub.outbound(reply, i)).esp(), HUB, 0, i))).isEqualTo(reply);
        }
        SaCounters s = spoke.sa(p[0].id()).counters();
        assertThat(s.pktsEncaps()).isEqualTo(5);
        assertThat(s.pktsEncrypt()).isEqualTo(5);
        assertThat(s.pktsDigest()).isEqualTo(5);
        assertThat(s.pktsDecaps()).isEqualTo(5);
        assertThat(s.pktsDecrypt()).isEqualTo(5);
        assertThat(s.pktsVerify()).isEqualTo(5);
        assertThat(s.sendErrors()).isZero();
        assertThat(s.recvErrors()).isZero();
        assertThat(hub.sa(p[1].id()).counters()).isEqualTo(new SaCounters(5, 5, 5, 5, 5, 5, 0, 0, 0, 0, 0,
                5 * 84, 5 * 84));
        assertThat(s.ios()).contains("#pkts encaps: 5, #pkts encrypt: 5, #pkts digest: 5",
                "#pkts decaps: 5, #pkts decrypt: 5, #pkts verify: 5", "#send errors 0, #recv errors 0");
        assertThat(spoke.counters().sealed()).isEqualTo(5);
        assertThat(hub.counters().delivered()).isEqualTo(5);
    }

    @Test
    void trafficOutsideEveryCryptoMapBypassesAndDynamicAclWithoutSaDrops() {
        DataPlane spoke = spokePlane();
        assertThat(spoke.outbound(ping(SPOKE_HOST, Ipv4.parse("8.8.8.8"), 1, 8), 0))
                .isSameAs(OutboundResult.Bypass.INSTANCE);
        ChildPolicy dynamicWithAcl = new ChildPolicy("mymap", 20, true, "dynmap", 20, List.of(),
                ChildPolicy.permits(List.of(new ChildPolicy.SelectorPair(NET1, TrafficSelector.subnet(
                        Ipv4.parse("10.9.0.0"), Ipv4.parse("255.255.0.0"))))), "110", List.of(MYSET), 0, 0, 0, null, false);
        DataPlane hub = new DataPlane(List.of(HUB_ENTRY, dynamicWithAcl), DataPlaneConfig.defaults(0));
        assertThat(hub.outbound(ping(HUB_HOST, Ipv4.parse("10.9.1.1"), 1, 8), 0))
                .isEqualTo(new OutboundResult.Drop(OutboundDrop.NO_SA_DYNAMIC));
        assertThat(hub.counters().noSaDynamic()).isEqualTo(1);
        assertThat(hub.outbound(new byte[] {0x60, 0, 0, 0}, 0)).isEqualTo(new OutboundResult.Drop(
                OutboundDrop.NOT_IPV4));
        assertThat(spoke.counters().bypassed()).isEqualTo(1);
    }

    /** A reconfiguration that changes the dynamic entry leaves the SAs it made carrying their traffic. */
    @Test
    void aDynamicSaKeepsSealingAfterItsEntryChanged() {
        DataPlane spoke = spokePlane();
        DataPlane hub = hubPlane();
        ChildSa[] p = pair();
        spoke.install(p[0], 0);
        hub.install(p[1], 0);
        ChildPolicy changed = new ChildPolicy(HUB_ENTRY.mapName(), HUB_ENTRY.sequence(), true,
                HUB_ENTRY.dynamicMapName(), HUB_ENTRY.dynamicSequence(), List.of(), List.of(), null,
                HUB_ENTRY.proposals(), 0, 7200, 0, HUB_ENTRY.profile(), HUB_ENTRY.reverseRoute());
        hub.setCryptoMap(List.of(changed));
        byte[] reply = ping(HUB_HOST, SPOKE_HOST, 1, 8);
        assertThat(deliver(spoke.inbound(single(hub.outbound(reply, 1)).esp(), HUB, 0, 1))).isEqualTo(reply);
    }

    /** Issue 13: a deny line before a permit keeps that traffic out of the entry, in clear, never acquiring. */
    @Test
    void aDenyLineExemptsItsTrafficFromTheEntry() {
        TrafficSelector spokeHostNet = TrafficSelector.subnet(Ipv4.parse("10.2.2.0"), Ipv4.parse("255.255.255.0"));
        ChildPolicy withDeny = new ChildPolicy("mymap", 10, false, null, 0, List.of(HUB), List.of(
                new ChildPolicy.AclRule(false, new ChildPolicy.SelectorPair(spokeHostNet, NET1)),
                new ChildPolicy.AclRule(true, new ChildPolicy.SelectorPair(NET2, NET1))), "100", List.of(MYSET), 0,
                0, 0, null, false);
        DataPlane spoke = new DataPlane(List.of(withDeny), DataPlaneConfig.defaults(0));
        assertThat(spoke.outbound(ping(SPOKE_HOST, HUB_HOST, 1, 8), 0)).isSameAs(OutboundResult.Bypass.INSTANCE);
        assertThat(spoke.outbound(ping(Ipv4.parse("10.2.3.10"), HUB_HOST, 1, 8), 0))
                .isInstanceOf(OutboundResult.Acquire.class);
        assertThat(spoke.counters().bypassed()).isEqualTo(1);
        assertThat(spoke.counters().acquires()).isEqualTo(1);
    }

    @Test
    void firstPacketAcquiresOthersQueueOverflowIsCountedAndInstallFlushesInOrder() {
        DataPlane spoke = new DataPlane(List.of(SPOKE_ENTRY),
                DataPlaneConfig.defaults(0).withAcquireQueue(3, 10_000));
        OutboundResult first = spoke.outbound(ping(SPOKE_HOST, HUB_HOST, 1, 8), 0);
        assertThat(first).isInstanceOfSatisfying(OutboundResult.Acquire.class, a -> {
            assertThat(a.entry()).isSameAs(SPOKE_ENTRY);
            assertThat(a.pair()).isEqualTo(SPOKE_ENTRY.selectors().getFirst());
            assertThat(a.flow().destination()).isEqualTo(HUB_HOST);
        });
        assertThat(spoke.outbound(ping(SPOKE_HOST, HUB_HOST, 2, 8), 10)).isSameAs(OutboundResult.Queued.INSTANCE);
        assertThat(spoke.outbound(ping(SPOKE_HOST, HUB_HOST, 3, 8), 20)).isSameAs(OutboundResult.Queued.INSTANCE);
        assertThat(spoke.outbound(ping(SPOKE_HOST, HUB_HOST, 4, 8), 30))
                .isEqualTo(new OutboundResult.Drop(OutboundDrop.ACQUIRE_QUEUE_FULL));
        assertThat(spoke.queuedPackets()).isEqualTo(3);
        assertThat(spoke.counters().queueOverflow()).isEqualTo(1);
        assertThat(spoke.counters().acquires()).isEqualTo(1);

        ChildSa[] p = pair();
        DataPlane hub = hubPlane();
        hub.install(p[1], 0);
        List<OutboundResult> flushed = spoke.apply(new IkeEffect.InstallChild(p[0]), 500);
        assertThat(flushed).hasSize(3);
        List<Integer> sequences = new ArrayList<>();
        for (OutboundResult r : flushed) {
            byte[] inner = deliver(hub.inbound(single(r).esp(), SPOKE, 0, 500));
            sequences.add(Ipv4Packet.icmpSequence(inner, 0));
        }
        assertThat(sequences).containsExactly(1, 2, 3);
        assertThat(spoke.queuedPackets()).isZero();
    }

    @Test
    void acquireIsRepeatedAfterTheRetryIntervalAndStalePacketsTimeOut() {
        DataPlane spoke = new DataPlane(List.of(SPOKE_ENTRY), new DataPlaneConfig(1500, 0, 16, 5_000, 2_000, 64));
        assertThat(spoke.outbound(ping(SPOKE_HOST, HUB_HOST, 1, 8), 0)).isInstanceOf(OutboundResult.Acquire.class);
        assertThat(spoke.outbound(ping(SPOKE_HOST, HUB_HOST, 2, 8), 1_999)).isSameAs(OutboundResult.Queued.INSTANCE);
        assertThat(spoke.outbound(ping(SPOKE_HOST, HUB_HOST, 3, 8), 2_000)).isInstanceOf(OutboundResult.Acquire.class);
        assertThat(spoke.expireQueues(7_000)).isEqualTo(2); // queued at 0 and 1999, not 2000
        assertThat(spoke.queuedPackets()).isEqualTo(1);
        assertThat(spoke.counters().queueTimeout()).isEqualTo(2);
    }

    @Test
    void rekeyedSaTakesOverAtOnceAndTheOldOneStillOpensUntilDeleted() {
        DataPlane spoke = spokePlane();
        DataPlane hub = hubPlane();
        ChildSa[] old = pair();
        spoke.install(old[0], 0);
        hub.install(old[1], 0);
        EspDatagram inFlight = single(spoke.outbound(ping(SPOKE_HOST, HUB_HOST, 1, 8), 1));
        ChildSa[] fresh = pair();
        spoke.install(fresh[0], 2);
        hub.install(fresh[1], 2);
        EspDatagram next = single(spoke.outbound(ping(SPOKE_HOST, HUB_HOST, 2, 8), 3));
        assertThat(next.childId()).isEqualTo(fresh[0].id());
        assertThat(spoke.sa(fresh[0].id()).current()).isTrue();
        assertThat(spoke.sa(old[0].id()).current()).isFalse();
        // The packet sealed before the rekey still opens on the old SA, after the new one.
        deliver(hub.inbound(next.esp(), SPOKE, 0, 4));
        deliver(hub.inbound(inFlight.esp(), SPOKE, 0, 4));
        hub.apply(new IkeEffect.DeleteChild(old[1], "rekeyed"), 5);
        assertThat(hub.inbound(inFlight.esp(), SPOKE, 0, 6)).isEqualTo(new InboundResult.Drop(
                EspDropReason.WRONG_SPI, 0));
        FlowStatus flow = hub.flow(NET1, NET2);
        assertThat(flow.sas()).hasSize(1);
        assertThat(flow.counters().pktsDecaps()).as("totals survive the rekey").isEqualTo(2);
        assertThat(hub.counters().unknownSpi()).isEqualTo(1);
    }

    @Test
    void tamperedReplayedRuntAndUnknownPacketsAreDroppedAndCounted() {
        DataPlane spoke = spokePlane();
        DataPlane hub = hubPlane();
        ChildSa[] p = pair();
        spoke.install(p[0], 0);
        hub.install(p[1], 0);
        byte[] esp = single(spoke.outbound(ping(SPOKE_HOST, HUB_HOST, 1, 40), 0)).esp();
        byte[] tampered = esp.clone();
        tampered[30] ^= 1;
        assertThat(hub.inbound(tampered, SPOKE, 0, 0)).isEqualTo(new InboundResult.Drop(EspDropReason.AUTH_FAILED,
                p[1].id()));
        deliver(hub.inbound(esp, SPOKE, 0, 0));
        assertThat(hub.inbound(esp, SPOKE, 0, 0)).isEqualTo(new InboundResult.Drop(EspDropReason.REPLAY, p[1].id()));
        assertThat(hub.inbound(Arrays.copyOf(esp, 6), SPOKE, 0, 0)).isEqualTo(new InboundResult.Drop(
                EspDropReason.TRUNCATED, 0));
        SaCounters c = hub.sa(p[1].id()).counters();
        assertThat(c.verifyFailures()).isEqualTo(1);
        assertThat(c.replayFailures()).isEqualTo(1);
        assertThat(c.recvErrors()).isEqualTo(2);
        assertThat(c.pktsDecaps()).isEqualTo(1);
        assertThat(hub.counters().runts()).isEqualTo(1);
        assertThat(hub.counters().inboundDropped()).isEqualTo(3);
    }

    @Test
    void replaysAndUnknownSpisBecomeRateLimitedIosMessagesNeverOnePerPacket() {
        DataPlane spoke = spokePlane();
        DataPlane hub = hubPlane();
        hub.outsideAddress(HUB);
        ChildSa[] p = pair();
        spoke.install(p[0], 0);
        hub.install(p[1], 0);
        hub.drainEvents();
        byte[] esp = single(spoke.outbound(ping(SPOKE_HOST, HUB_HOST, 1, 40), 0)).esp();
        deliver(hub.inbound(esp, SPOKE, 0, 0));
        byte[] unknown = esp.clone();
        unknown[0] = 0x7e; // SPI 0x7e00100b..., which no SA has
        for (int i = 0; i < 10_000; i++) { // a flood over 50 s: one message of each kind
            hub.inbound(esp, SPOKE, 0, i * 5L);
            hub.inbound(unknown, SPOKE, 0, i * 5L);
        }
        List<String> messages = hub.drainEvents().stream().filter(DataPlaneEvent.Message.class::isInstance)
                .map(e -> ((DataPlaneEvent.Message) e).message().format()).toList();
        int spi = (int) ((unknown[0] & 0xffL) << 24 | (unknown[1] & 0xff) << 16 | (unknown[2] & 0xff) << 8
                | unknown[3] & 0xff);
        assertThat(messages).containsExactly(
                "%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=" + p[1].id()
                        + ", sequence number=1",
                "%CRYPTO-4-RECVD_PKT_INV_SPI: decaps: rec'd IPSEC packet has invalid spi for destaddr=203.0.113.2, "
                        + "prot=50, spi=0x" + String.format("%08X", spi) + "(" + Integer.toUnsignedString(spi)
                        + "), srcaddr=198.51.100.146");
        assertThat(hub.counters().messagesRateLimited()).isEqualTo(2 * 10_000 - 2);
        hub.inbound(esp, SPOKE, 0, 60_000);
        assertThat(hub.drainEvents()).as("a minute later, again").hasSize(1);
    }

    @Test
    void innerPacketOutsideTheProxyIdentitiesIsDroppedAndCounted() {
        DataPlane hub = hubPlane();
        ChildSa[] p = pair();
        hub.install(p[1], 0);
        // A peer that holds the keys seals a packet from a network its SA does not cover.
        EspOutboundSa rogue = EspOutboundSa.builder(p[0].outboundSpi(), EspTransforms.of(MYSET), p[0].outboundKeys())
                .build();
        byte[] spoofed = ((EspSealResult.Sealed) rogue.seal(ping(Ipv4.parse("10.9.9.9"), HUB_HOST, 1, 8))).packet();
        byte[] wrongDestination = ((EspSealResult.Sealed) rogue.seal(ping(SPOKE_HOST, Ipv4.parse("10.7.7.7"), 2, 8)))
                .packet();
        byte[] good = ((EspSealResult.Sealed) rogue.seal(ping(SPOKE_HOST, HUB_HOST, 3, 8))).packet();
        assertThat(hub.inbound(spoofed, SPOKE, 0, 0)).isEqualTo(new InboundResult.Drop(
                EspDropReason.INVALID_IDENTITY, p[1].id()));
        assertThat(hub.inbound(wrongDestination, SPOKE, 0, 0)).isEqualTo(new InboundResult.Drop(
                EspDropReason.INVALID_IDENTITY, p[1].id()));
        deliver(hub.inbound(good, SPOKE, 0, 0));
        SaCounters c = hub.sa(p[1].id()).counters();
        assertThat(c.invalidIdentity()).isEqualTo(2);
        assertThat(c.recvErrors()).isEqualTo(2);
        assertThat(c.pktsDecaps()).as("only what was delivered").isEqualTo(1);
        assertThat(c.pktsDecrypt()).isEqualTo(3);
    }

    @Test
    void dontFragmentPacketTooBigForThePathGetsIcmpFragmentationNeeded() {
        DataPlane spoke = spokePlane();
        ChildSa[] p = pair();
        spoke.install(p[0], 0);
        byte[] big = ping(SPOKE_HOST, HUB_HOST, 1, 1472); // 1500 bytes inner
        big[6] |= 0x40;
        fixChecksum(big);
        OutboundResult r = spoke.outbound(big, 0);
        assertThat(r).isInstanceOf(OutboundResult.IcmpError.class);
        OutboundResult.IcmpError icmp = (OutboundResult.IcmpError) r;
        byte[] e = icmp.packet();
        assertThat(Ipv4Packet.isValid(e, 0, e.length)).isTrue();
        assertThat(Ipv4Packet.source(e, 0)).isEqualTo(Ipv4.parse("10.2.2.2"));
        assertThat(Ipv4Packet.destination(e, 0)).isEqualTo(SPOKE_HOST);
        assertThat(e[20]).isEqualTo((byte) 3);
        assertThat(e[21]).isEqualTo((byte) 4);
        assertThat(Ipv4Packet.checksum(e, 20, e.length - 20)).isZero();
        int mtu = ((e[26] & 0xff) << 8) | (e[27] & 0xff);
        assertThat(mtu).isEqualTo(icmp.nextHopMtu());
        // 3DES-SHA1 raw ESP: 20 outer + 8 header + 8 IV + 12 ICV, payload+2 padded to 8 => 1446 inner fits.
        assertThat(mtu).isEqualTo(1446);
        assertThat(20 + EspTransforms.of(MYSET).sealedLength(mtu)).isLessThanOrEqualTo(1500);
        assertThat(20 + EspTransforms.of(MYSET).sealedLength(mtu + 1)).isGreaterThan(1500);
        assertThat(Arrays.copyOfRange(e, 28, 48)).isEqualTo(Arrays.copyOf(big, 20));
        assertThat(spoke.counters().icmpTooBig()).isEqualTo(1);
        assertThat(spoke.sa(p[0].id()).counters().pktsEncaps()).isZero();
        // A packet that just fits is sealed whole, DF or not.
        byte[] fits = ping(SPOKE_HOST, HUB_HOST, 2, 1446 - 28);
        fits[6] |= 0x40;
        fixChecksum(fits);
        assertThat(20 + single(spoke.outbound(fits, 0)).esp().length).isLessThanOrEqualTo(1500);
    }

    @Test
    void packetTooBigWithDfClearIsFragmentedBeforeEncryptionAndReassembles() {
        DataPlane spoke = new DataPlane(List.of(SPOKE_ENTRY), DataPlaneConfig.defaults(0).withMtu(1400));
        DataPlane hub = hubPlane();
        ChildSa[] p = pair(MYSET, 4500, 4500, 0);
        spoke.install(p[0], 0);
        hub.install(p[1], 0);
        byte[] big = ping(SPOKE_HOST, HUB_HOST, 9, 3000); // 3028 bytes: 3 fragments of <= 1342
        OutboundResult r = spoke.outbound(big, 0);
        List<EspDatagram> sent = ((OutboundResult.Seal) r).datagrams();
        assertThat(sent).hasSize(3);
        List<byte[]> fragments = new ArrayList<>();
        for (EspDatagram d : sent) {
            assertThat(d.udpEncapsulated()).isTrue();
            assertThat(20 + 8 + d.esp().length).isLessThanOrEqualTo(1400);
            fragments.add(deliver(hub.inbound(d.esp(), SPOKE, 4500, 0)));
        }
        assertThat(reassemble(fragments)).isEqualTo(big);
        assertThat(spoke.counters().fragmented()).isEqualTo(1);
        assertThat(spoke.counters().fragments()).isEqualTo(3);
        assertThat(spoke.sa(p[0].id()).counters().pktsEncaps()).isEqualTo(3);
    }

    @Test
    void fragmentsKeepOffsetsOfAnAlreadyFragmentedPacketAndCopiedOptionsOnly() {
        byte[] payload = new byte[200];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        byte[] base = Ipv4Packet.build(SPOKE_HOST, HUB_HOST, Ipv4Packet.UDP, 4242, payload);
        // Add options: a copied one (type 0x83, loose source route, 7 bytes) and a NOP, EOL padding: IHL 7.
        byte[] withOptions = new byte[base.length + 8];
        System.arraycopy(base, 0, withOptions, 0, 20);
        byte[] options = {(byte) 0x83, 7, 4, 10, 1, 1, 1, 1};
        options[7] = 1; // NOP ends the 7-byte option
        System.arraycopy(options, 0, withOptions, 20, 8);
        System.arraycopy(payload, 0, withOptions, 28, payload.length);
        withOptions[0] = 0x47;
        withOptions[2] = (byte) (withOptions.length >>> 8);
        withOptions[3] = (byte) withOptions.length;
        withOptions[6] = 0x20; // MF set, offset 0: itself a first fragment of something larger
        withOptions[7] = 0;
        fixChecksum(withOptions);
        List<byte[]> parts = Ipv4Fragments.fragment(withOptions, 0, withOptions.length, 100);
        assertThat(parts).allSatisfy(f -> {
            assertThat(f.length).isLessThanOrEqualTo(100);
            assertThat(Ipv4Packet.checksum(f, 0, Ipv4Packet.headerLength(f, 0))).isZero();
            assertThat(f[6] & 0x20).as("MF stays set: the original had more after it").isNotZero();
        });
        assertThat(Ipv4Packet.headerLength(parts.get(0), 0)).isEqualTo(28);
        assertThat(Ipv4Packet.headerLength(parts.get(1), 0)).isEqualTo(28); // 7 copied bytes padded to 8
        assertThat(parts.get(1)[20]).isEqualTo((byte) 0x83);
        int offset = 0;
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (byte[] f : parts) {
            int ihl = Ipv4Packet.headerLength(f, 0);
            assertThat(((f[6] & 0x1f) << 8 | (f[7] & 0xff)) * 8).isEqualTo(offset);
            joined.write(f, ihl, f.length - ihl);
            offset += f.length - ihl;
        }
        assertThat(joined.toByteArray()).isEqualTo(payload);
    }

    @Test
    void kilobyteLifetimeReportsRekeyAt90PercentThenExpiresAndReacquires() {
        DataPlane spoke = new DataPlane(List.of(SPOKE_ENTRY), DataPlaneConfig.defaults(0).withAcquireQueue(4, 60_000));
        ChildSa[] p = pair(MYSET, 0, 0, 10); // 10 KB = 10240 bytes; soft at 9216
        spoke.install(p[0], 0);
        spoke.drainEvents();
        byte[] packet = ping(SPOKE_HOST, HUB_HOST, 1, 1000 - 28);
        for (int i = 0; i < 9; i++) {
            single(spoke.outbound(packet, i));
        }
        assertThat(spoke.drainEvents()).isEmpty();
        single(spoke.outbound(packet, 9)); // 10000 bytes: past the soft limit
        assertThat(spoke.drainEvents()).containsExactly(new DataPlaneEvent.RekeyNeeded(p[0],
                DataPlaneEvent.Direction.OUTBOUND, DataPlaneEvent.Limit.KILOBYTES));
        single(spoke.outbound(packet, 10)); // 11000 bytes: over the hard limit after this one
        assertThat(spoke.drainEvents()).containsExactly(new DataPlaneEvent.Expired(p[0],
                DataPlaneEvent.Direction.OUTBOUND, DataPlaneEvent.Limit.KILOBYTES));
        // The SA is spent: the static entry acquires a new one rather than sending in clear.
        assertThat(spoke.outbound(packet, 11)).isInstanceOf(OutboundResult.Acquire.class);
        ChildSa[] fresh = pair(MYSET, 0, 0, 10);
        List<OutboundResult> flushed = spoke.install(fresh[0], 12);
        assertThat(flushed).singleElement().satisfies(r -> assertThat(single(r).childId()).isEqualTo(fresh[0].id()));
    }

    @Test
    void sequenceNumbersNearTheWrapAskForRekeyAndRunningOutNeverWraps() {
        DataPlane spoke = spokePlane();
        DataPlane hub = hubPlane();
        spoke.startSequencesAt(0xFFFFFFFEL);
        ChildSa[] p = pair();
        spoke.install(p[0], 0);
        hub.install(p[1], 0);
        spoke.drainEvents();
        byte[] packet = ping(SPOKE_HOST, HUB_HOST, 1, 8);
        deliver(hub.inbound(single(spoke.outbound(packet, 0)).esp(), SPOKE, 0, 0));
        assertThat(spoke.drainEvents()).containsExactly(new DataPlaneEvent.RekeyNeeded(p[0],
                DataPlaneEvent.Direction.OUTBOUND, DataPlaneEvent.Limit.SEQUENCE));
        EspDatagram last = single(spoke.outbound(packet, 0));
        assertThat(Ipv4.fromBytes(last.esp(), 4)).isEqualTo(0xFFFFFFFF);
        deliver(hub.inbound(last.esp(), SPOKE, 0, 0));
        assertThat(spoke.drainEvents()).containsExactly(new DataPlaneEvent.Expired(p[0],
                DataPlaneEvent.Direction.OUTBOUND, DataPlaneEvent.Limit.SEQUENCE));
        assertThat(hub.drainEvents()).contains(new DataPlaneEvent.RekeyNeeded(p[1], DataPlaneEvent.Direction.INBOUND,
                DataPlaneEvent.Limit.SEQUENCE));
        assertThat(spoke.outbound(packet, 0)).isInstanceOf(OutboundResult.Acquire.class);
        assertThat(spoke.sa(p[0].id()).counters().pktsEncaps()).isEqualTo(2);
    }

    @Test
    void inboundKilobyteLifetimeIsReportedToo() {
        DataPlane spoke = spokePlane();
        DataPlane hub = hubPlane();
        ChildSa[] p = pair(MYSET, 0, 0, 2); // 2048 bytes, soft at 1843
        spoke.install(p[0], 0);
        hub.install(p[1], 0);
        byte[] packet = ping(SPOKE_HOST, HUB_HOST, 1, 972);
        deliver(hub.inbound(single(spoke.outbound(packet, 0)).esp(), SPOKE, 0, 0));
        assertThat(hub.drainEvents()).singleElement().isInstanceOf(DataPlaneEvent.RouteAdded.class);
        deliver(hub.inbound(single(spoke.outbound(packet, 0)).esp(), SPOKE, 0, 0));
        assertThat(hub.drainEvents()).containsExactly(new DataPlaneEvent.RekeyNeeded(p[1],
                DataPlaneEvent.Direction.INBOUND, DataPlaneEvent.Limit.KILOBYTES));
        deliver(hub.inbound(single(spoke.outbound(packet, 0)).esp(), SPOKE, 0, 0));
        assertThat(hub.drainEvents()).containsExactly(new DataPlaneEvent.Expired(p[1],
                DataPlaneEvent.Direction.INBOUND, DataPlaneEvent.Limit.KILOBYTES));
        // The spoke's side is spent too: its static entry asks for a new SA instead.
        assertThat(spoke.outbound(packet, 0)).isInstanceOf(OutboundResult.Acquire.class);
    }

    @Test
    void udpEncapsulatedSaFollowsThePeersNewNatPortOnAuthenticatedPackets() {
        DataPlane spoke = spokePlane();
        DataPlane hub = hubPlane();
        ChildSa[] p = pair(MYSET, 40000, 4500, 0);
        spoke.install(p[0], 0);
        hub.install(p[1], 0);
        byte[] request = ping(SPOKE_HOST, HUB_HOST, 1, 8);
        byte[] reply = Ipv4Packet.echoReplyTo(request, 0, request.length);
        assertThat(single(hub.outbound(reply, 0)).peerPort()).isEqualTo(40000);
        EspDatagram first = single(spoke.outbound(request, 0));
        byte[] forged = first.esp().clone();
        forged[forged.length - 1] ^= 1;
        assertThat(hub.inbound(forged, SPOKE, 41000, 1)).isInstanceOf(InboundResult.Drop.class);
        assertThat(single(hub.outbound(reply, 1)).peerPort()).as("a forged packet moves nothing").isEqualTo(40000);
        deliver(hub.inbound(first.esp(), SPOKE, 41000, 2));
        EspDatagram after = single(hub.outbound(reply, 2));
        assertThat(after.peerPort()).isEqualTo(41000);
        assertThat(after.localPort()).isEqualTo(4500);
        assertThat(hub.counters().peerMoved()).isEqualTo(1);
    }

    @Test
    void protectedRoutesFollowSasAndStaticNetworksAreKnownUpFront() {
        DataPlane hub = hubPlane();
        ChildSa[] a = pair();
        ChildSa[] b = pair();
        hub.install(a[1], 0);
        hub.install(b[1], 0);
        assertThat(hub.protectedRoutes()).containsExactly(new ProtectedRoute(NET2, SPOKE, true));
        assertThat(hub.drainEvents()).containsExactly(new DataPlaneEvent.RouteAdded(
                new ProtectedRoute(NET2, SPOKE, true)));
        hub.remove(a[1]);
        assertThat(hub.drainEvents()).isEmpty();
        hub.remove(b[1]);
        assertThat(hub.drainEvents()).containsExactly(new DataPlaneEvent.RouteRemoved(
                new ProtectedRoute(NET2, SPOKE, true)));
        assertThat(hub.protectedRoutes()).isEmpty();
        assertThat(hub.flows()).isEmpty();
        assertThat(spokePlane().staticRemoteNetworks()).containsExactly(NET1);
    }

    @Test
    void mostSpecificDynamicSaWinsAmongManySpokes() {
        DataPlane hub = hubPlane();
        List<ChildSa> spokes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            TrafficSelector remote = TrafficSelector.subnet(Ipv4.parse("10.100.0.0") + (i << 8),
                    Ipv4.parse("255.255.255.0"));
            int peer = Ipv4.parse("198.51.100.0") + i;
            ChildSa c = new ChildSa(1000 + i, 1, HUB_ENTRY, HUB, peer, 0, 0, NET1, remote, MYSET, 5000 + i,
                    bytes(44), 9000 + i, bytes(44), 3600, 0, 0, false);
            spokes.add(c);
            hub.install(c, 0);
        }
        ChildSa wide = new ChildSa(2000, 1, HUB_ENTRY, HUB, Ipv4.parse("192.0.2.9"), 0, 0, NET1,
                TrafficSelector.subnet(Ipv4.parse("10.100.0.0"), Ipv4.parse("255.255.0.0")), MYSET, 7777, bytes(44),
                8888, bytes(44), 3600, 0, 0, false);
        hub.install(wide, 0);
        EspDatagram d = single(hub.outbound(ping(HUB_HOST, Ipv4.parse("10.100.57.3"), 1, 8), 0));
        assertThat(d.peerAddress()).isEqualTo(Ipv4.parse("198.51.100.57"));
        hub.remove(spokes.get(57));
        assertThat(single(hub.outbound(ping(HUB_HOST, Ipv4.parse("10.100.57.3"), 2, 8), 0)).peerAddress())
                .isEqualTo(Ipv4.parse("192.0.2.9"));
        assertThat(hub.saCount()).isEqualTo(200);
    }

    @Test
    void transformsMapOnceAndUnsupportedOnesFailToInstall() {
        assertThat(EspTransforms.of(MYSET).toString()).isEqualTo("esp-3des esp-sha-hmac");
        assertThat(EspTransforms.of(new EspProposal("a", TransformId.Esp.ESP_AES, 256,
                IpsecAttribute.AuthAlgorithm.HMAC_SHA2_256, true)).toString()).isEqualTo("esp-aes 256 esp-sha256-hmac");
        assertThat(EspTransforms.of(new EspProposal("g", TransformId.Esp.ESP_AES_GCM_16, 128, 0, true)).toString())
                .isEqualTo("esp-gcm 128");
        assertThat(EspTransforms.of(new EspProposal("a", TransformId.Esp.ESP_AES, 0,
                IpsecAttribute.AuthAlgorithm.HMAC_MD5, true)).keyBits()).isEqualTo(128);
        EspProposal des = new EspProposal("d", TransformId.Esp.ESP_DES, 0, IpsecAttribute.AuthAlgorithm.HMAC_SHA,
                true);
        assertThat(EspTransforms.tryOf(des)).isNull();
        DataPlane spoke = spokePlane();
        ChildSa[] p = pair(des, 0, 0, 0);
        assertThat(spoke.install(p[0], 0)).isEmpty();
        assertThat(spoke.drainEvents()).singleElement().isInstanceOf(DataPlaneEvent.InstallFailed.class);
        assertThat(spoke.saCount()).isZero();
    }

    @Test
    void everyTransformRoundTripsThroughTwoDataPlanes() {
        List<EspProposal> suites = List.of(MYSET,
                new EspProposal("aes", TransformId.Esp.ESP_AES, 128, IpsecAttribute.AuthAlgorithm.HMAC_SHA, true),
                new EspProposal("aes256", TransformId.Esp.ESP_AES, 256, IpsecAttribute.AuthAlgorithm.HMAC_SHA2_512,
                        true),
                new EspProposal("gcm8", TransformId.Esp.ESP_AES_GCM_8, 128, 0, true),
                new EspProposal("gcm12", TransformId.Esp.ESP_AES_GCM_12, 192, 0, true),
                new EspProposal("gcm16", TransformId.Esp.ESP_AES_GCM_16, 256, 0, true),
                new EspProposal("null", TransformId.Esp.ESP_NULL, 0, IpsecAttribute.AuthAlgorithm.HMAC_MD5, true));
        for (EspProposal suite : suites) {
            DataPlane spoke = spokePlane();
            DataPlane hub = hubPlane();
            ChildSa[] p = pair(suite, 0, 0, 0);
            spoke.install(p[0], 0);
            hub.install(p[1], 0);
            for (int size : new int[] {0, 1, 7, 100, 1350}) {
                byte[] packet = ping(SPOKE_HOST, HUB_HOST, size, size);
                assertThat(deliver(hub.inbound(single(spoke.outbound(packet, 0)).esp(), SPOKE, 0, 0)))
                        .as(suite.iosTransform() + " size " + size).isEqualTo(packet);
            }
        }
    }

    @Test
    void garbageNeverThrows() {
        DataPlane hub = hubPlane();
        ChildSa[] p = pair();
        hub.install(p[1], 0);
        for (int i = 0; i < 5_000; i++) {
            byte[] junk = bytes(random.nextInt(120));
            if (junk.length >= 4 && random.nextBoolean()) {
                junk[0] = 0;
                junk[1] = 0;
                junk[2] = (byte) (p[1].inboundSpi() >>> 8);
                junk[3] = (byte) p[1].inboundSpi();
            }
            assertThat(hub.inbound(junk, SPOKE, 0, 0)).isInstanceOf(InboundResult.Drop.class);
            OutboundResult r = hub.outbound(junk, 0);
            assertThat(r).isNotNull();
        }
        assertThat(hub.inbound(null, SPOKE, 0, 0)).isInstanceOf(InboundResult.Drop.class);
    }

    static void fixChecksum(byte[] p) {
        int ihl = Ipv4Packet.headerLength(p, 0);
        p[10] = 0;
        p[11] = 0;
        int sum = Ipv4Packet.checksum(p, 0, ihl);
        p[10] = (byte) (sum >>> 8);
        p[11] = (byte) sum;
    }

    /** Reassembles complete fragments of one packet (test helper: in-order offsets, no holes). */
    static byte[] reassemble(List<byte[]> fragments) {
        List<byte[]> sorted = new ArrayList<>(fragments);
        sorted.sort(Comparator.comparingInt(f -> ((f[6] & 0x1f) << 8) | (f[7] & 0xff)));
        byte[] first = sorted.getFirst();
        int ihl = Ipv4Packet.headerLength(first, 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(first, 0, ihl);
        int expectedOffset = 0;
        for (byte[] f : sorted) {
            int h = Ipv4Packet.headerLength(f, 0);
            assertThat((((f[6] & 0x1f) << 8) | (f[7] & 0xff)) * 8).isEqualTo(expectedOffset);
            out.write(f, h, Ipv4Packet.totalLength(f, 0) - h);
            expectedOffset += Ipv4Packet.totalLength(f, 0) - h;
        }
        assertThat(sorted.getLast()[6] & 0x20).as("last fragment has MF clear").isZero();
        byte[] whole = out.toByteArray();
        whole[2] = (byte) (whole.length >>> 8);
        whole[3] = (byte) whole.length;
        whole[6] = 0;
        whole[7] = 0;
        fixChecksum(whole);
        return whole;
    }
}
