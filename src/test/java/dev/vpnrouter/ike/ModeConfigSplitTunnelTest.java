package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.cfg.ClientGroup;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import dev.vpnrouter.ike.wire.ConfigAttribute;
import dev.vpnrouter.ike.wire.DataAttribute;
import dev.vpnrouter.ike.wire.DeletePayload;
import dev.vpnrouter.ike.wire.ProtocolId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Mode Config REPLY listing N split networks makes our VPN client bring up N tunnels, but one Quick Mode at a
 * time: no single message from the hub starts more than one. (Found by the {@code EngineFuzzTest#transaction}
 * campaign: a sealed REPLY with two split networks opened two Quick Modes at once; a 64 KB one could open thousands.)
 */
class ModeConfigSplitTunnelTest {

    @Test
    void aReplyWithFiveSplitNetworksStartsOneQuickModeAtATimeAndEndsWithFiveTunnels() {
        List<TrafficSelector> nets = networks(5);
        ExchangeReplay r = ExchangeReplay.start(ExchangeReplay.Peer.CLIENT, hubWithSplitNetworks(nets));
        int maxGrowth = deliverWatchingTheClient(r);
        IkeSa sa = ExchangeReplay.onlySa(r.peer);
        assertThat(sa.vpnClient.config.splitNetworks()).containsExactlyElementsOf(nets);
        assertThat(maxGrowth).as("Quick Modes one message started on the client").isEqualTo(1);
        assertThat(sa.children).extracting(ChildSa::remote).containsExactlyInAnyOrderElementsOf(nets);
        assertThat(r.peer.counters().internalErrors).isZero();
    }

    @Test
    void aDeleteForEveryTunnelRenegotiatesThemOneQuickModeAtATime() {
        List<TrafficSelector> nets = networks(5);
        ExchangeReplay r = ExchangeReplay.start(ExchangeReplay.Peer.CLIENT, hubWithSplitNetworks(nets));
        deliverWatchingTheClient(r);
        IkeSa client = ExchangeReplay.onlySa(r.peer);
        int[] spis = client.children.stream().mapToInt(ChildSa::outboundSpi).toArray();
        assertThat(spis).hasSize(5);
        // One Informational from the hub deleting all five (as "clear crypto sa" could).
        Informational.sendProtected(r.hub, ExchangeReplay.onlySa(r.hub),
                List.of(DeletePayload.ofSpis(ProtocolId.IPSEC_ESP, spis)));
        r.queueSends(r.hub.drain());
        int maxGrowth = deliverWatchingTheClient(r);
        assertThat(maxGrowth).as("Quick Modes one message started on the client").isEqualTo(1);
        assertThat(client.children).extracting(ChildSa::remote).containsExactlyInAnyOrderElementsOf(nets);
        assertThat(client.children).extracting(ChildSa::outboundSpi).doesNotContain(
                java.util.Arrays.stream(spis).boxed().toArray(Integer[]::new));
    }

    @Test
    void aReplyWithMoreSplitNetworksThanTheBoundGetsTunnelsForTheFirst64Only() {
        List<TrafficSelector> nets = networks(ModeConfigClient.MAX_SPLIT_TUNNELS + 6);
        ExchangeReplay r = ExchangeReplay.start(ExchangeReplay.Peer.CLIENT, hubWithSplitNetworks(nets));
        int maxGrowth = deliverWatchingTheClient(r);
        IkeSa sa = ExchangeReplay.onlySa(r.peer);
        assertThat(maxGrowth).isEqualTo(1);
        assertThat(sa.children).extracting(ChildSa::remote)
                .containsExactlyInAnyOrderElementsOf(nets.subList(0, ModeConfigClient.MAX_SPLIT_TUNNELS));
    }

    @Test
    void aSplitNetworkRepeatedInAnyFormIsOneNetworkSoOneTunnel() {
        byte[] entry = ModeConfigAttributes.splitEntries(List.of(
                TrafficSelector.subnet(Ipv4.parse("10.1.0.0"), Ipv4.parse("255.255.0.0")),
                TrafficSelector.subnet(Ipv4.parse("10.1.0.1"), Ipv4.parse("255.255.0.0")),
                TrafficSelector.subnet(Ipv4.parse("112.3.0.1"), 0)));
        byte[] subnet = new byte[8];
        System.arraycopy(Ipv4.toBytes(Ipv4.parse("10.1.99.1")), 0, subnet, 0, 4);
        System.arraycopy(Ipv4.toBytes(Ipv4.parse("255.255.0.0")), 0, subnet, 4, 4);
        ClientConfig c = ModeConfigAttributes.decode(List.of(
                DataAttribute.ipv4(ConfigAttribute.INTERNAL_IP4_ADDRESS, Ipv4.parse("10.5.5.1")),
                DataAttribute.tlv(ConfigAttribute.UNITY_SPLIT_INCLUDE, entry),
                DataAttribute.tlv(ConfigAttribute.UNITY_SPLIT_INCLUDE, entry),
                DataAttribute.tlv(ConfigAttribute.INTERNAL_IP4_SUBNET, subnet)));
        assertThat(c.splitNetworks()).containsExactly(
                TrafficSelector.subnet(Ipv4.parse("10.1.0.0"), Ipv4.parse("255.255.0.0")),
                TrafficSelector.ANY);
    }

    /** Runs the exchange to its end; returns the most Quick Modes one delivery added to the client. */
    private static int deliverWatchingTheClient(ExchangeReplay r) {
        int maxGrowth = 0;
        for (int i = 0; i < 2_000 && r.next() != null; i++) {
            int before = quickModes(r.peer);
            r.deliver(1);
            maxGrowth = Math.max(maxGrowth, quickModes(r.peer) - before);
        }
        assertThat(r.next()).as("the exchange ended").isNull();
        return maxGrowth;
    }

    private static int quickModes(IkeEngine e) {
        IkeSa sa = ExchangeReplay.onlySa(e);
        return sa == null ? 0 : sa.quickModes.size();
    }

    /** 10.(100+i).0.0/16, i = 0..n-1. */
    private static List<TrafficSelector> networks(int n) {
        List<TrafficSelector> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(TrafficSelector.subnet(Ipv4.parse("10." + (100 + i) + ".0.0"), Ipv4.parse("255.255.0.0")));
        }
        return out;
    }

    private static TestPolicy hubWithSplitNetworks(List<TrafficSelector> nets) {
        TestPolicy hub = TestPolicy.seedHub();
        ClientGroup g = hub.groups.get("testgroup");
        hub.groups.put("testgroup", new ClientGroup(g.name(), g.key(), g.dns(), g.wins(), g.domain(), g.pool(),
                g.netmask(), "101", nets, g.splitDns(), g.banner(), g.savePassword(), g.includeLocalLan(), g.pfs(),
                g.backupGateways(), g.maxUsers(), g.maxLogins()));
        return hub;
    }
}
