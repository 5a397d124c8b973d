package dev.vpnrouter.dataplane;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.common.Ipv4Packet;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.EspProposal;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import dev.vpnrouter.ike.wire.IpsecAttribute;
import dev.vpnrouter.ike.wire.TransformId;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-packet cost of the data plane, crypto map lookup and SA database included: a spoke's {@link DataPlane}
 * seals an inner packet and a hub's opens it. Not a test; run with JMH (command in docs/benchmarks.md).
 * {@code outbound} is lookup + seal (allocating the ESP packet, as the API does); {@code inbound} is SPI lookup +
 * open + proxy identity check into a reused buffer, on one pre-sealed packet with the replay window off;
 * {@code roundTrip} is both, the way one packet crosses a tunnel.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class DataPlaneBenchmark {
    @Param({"3des-sha1", "aes128-sha1", "aes-gcm-128"})
    public String transform;

    @Param({"1400"})
    public int size;

    DataPlane spoke;
    DataPlane hub;
    DataPlane hubNoReplay;
    byte[] packet;
    byte[] sealed;
    byte[] out;
    dev.vpnrouter.esp.EspOutboundSa bareSa;
    byte[] bareOut;
    int spokeAddress = Ipv4.parse("198.51.100.146");

    static EspProposal proposal(String name) {
        return switch (name) {
            case "3des-sha1" -> new EspProposal(name, TransformId.Esp.ESP_3DES, 0, IpsecAttribute.AuthAlgorithm.HMAC_SHA,
                    true);
            case "aes128-sha1" -> new EspProposal(name, TransformId.Esp.ESP_AES, 128,
                    IpsecAttribute.AuthAlgorithm.HMAC_SHA, true);
            case "aes-gcm-128" -> new EspProposal(name, TransformId.Esp.ESP_AES_GCM_16, 128, 0, true);
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Setup(Level.Trial)
    public void setUp() {
        EspProposal p = proposal(transform);
        int hubAddress = Ipv4.parse("203.0.113.2");
        TrafficSelector net1 = TrafficSelector.subnet(Ipv4.parse("10.1.0.0"), Ipv4.parse("255.255.0.0"));
        TrafficSelector net2 = TrafficSelector.subnet(Ipv4.parse("10.2.0.0"), Ipv4.parse("255.255.0.0"));
        ChildPolicy spokeEntry = new ChildPolicy("mymap", 10, false, null, 0, List.of(hubAddress),
                ChildPolicy.permits(List.of(new ChildPolicy.SelectorPair(net2, net1))), "100", List.of(p), 0, 0, 0, null, false);
        ChildPolicy hubEntry = new ChildPolicy("mymap", 10, true, "dynmap", 10, List.of(), List.of(), null,
                List.of(p), 0, 0, 0, "L2L", false);
        SplittableRandom random = new SplittableRandom(1);
        byte[] k1 = new byte[p.keymatLength()];
        byte[] k2 = new byte[p.keymatLength()];
        random.nextBytes(k1);
        random.nextBytes(k2);
        ChildSa spokeSide = new ChildSa(1, 1, spokeEntry, spokeAddress, hubAddress, 0, 0, net2, net1, p, 0x1001, k1,
                0x2002, k2, 3600, 0, 0, true);
        ChildSa hubSide = new ChildSa(2, 1, hubEntry, hubAddress, spokeAddress, 0, 0, net1, net2, p, 0x2002, k2,
                0x1001, k1, 3600, 0, 0, false);
        spoke = new DataPlane(List.of(spokeEntry), DataPlaneConfig.defaults(0));
        hub = new DataPlane(List.of(hubEntry), DataPlaneConfig.defaults(0));
        hubNoReplay = new DataPlane(List.of(hubEntry), DataPlaneConfig.defaults(0).withReplayWindow(0));
        spoke.install(spokeSide, 0);
        hub.install(hubSide, 0);
        hubNoReplay.install(hubSide, 0);
        packet = Ipv4Packet.build(Ipv4.parse("10.2.2.10"), Ipv4.parse("10.1.1.10"), Ipv4Packet.UDP, 1,
                new byte[size - Ipv4Packet.HEADER]);
        OutboundResult r = spoke.outbound(packet, 0);
        sealed = ((OutboundResult.Seal) r).datagrams().getFirst().esp();
        out = new byte[2048];
        bareSa = dev.vpnrouter.esp.EspOutboundSa.builder(0x3003, EspTransforms.of(p), k1).build();
        bareOut = new byte[2048];
        if (!(hubNoReplay.inbound(sealed, 0, sealed.length, spokeAddress, 0, 0, out, 0)
                instanceof InboundResult.Deliver)) {
            throw new IllegalStateException("benchmark packet does not open");
        }
    }

    /** Baseline: the ESP engine's seal alone, into a reused buffer (no lookup, no allocation). */
    @Benchmark
    public int espSealOnly() {
        return bareSa.seal(packet, 0, packet.length, bareOut, 0);
    }

    @Benchmark
    public Object outbound() {
        return spoke.outbound(packet, 0, packet.length, 0);
    }

    @Benchmark
    public Object inbound() {
        return hubNoReplay.inbound(sealed, 0, sealed.length, spokeAddress, 0, 0, out, 0);
    }

    @Benchmark
    public Object roundTrip() {
        byte[] esp = ((OutboundResult.Seal) spoke.outbound(packet, 0, packet.length, 0)).datagrams().getFirst().esp();
        return hub.inbound(esp, 0, esp.length, spokeAddress, 0, 0, out, 0);
    }
}
