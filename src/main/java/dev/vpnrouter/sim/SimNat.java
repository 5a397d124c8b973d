package dev.vpnrouter.sim;

import java.util.HashMap;
import java.util.Map;

/**
 * A port-translating NAT in front of private addresses, like a home router in front of a VPN client. UDP flows get
 * a public port each; ESP (no ports) is mapped by source only, as simple NATs do. {@link #rebind()} forgets every
 * mapping, so the next packet of a flow leaves from a new port: the NAT rebinding that NAT-T must follow.
 */
public final class SimNat implements SimNode {
    private record Flow(int insideAddress, int insidePort, int protocol) {
    }

    private final SimNetwork network;
    private final int publicAddress;
    private final Map<Flow, Integer> publicPortByFlow = new HashMap<>();
    private final Map<Integer, Flow> flowByPublicPort = new HashMap<>();
    private final Map<Integer, SimNode> insideNodes = new HashMap<>();
    private int nextPort = 40000;
    private Flow lastEspFlow;

    public SimNat(SimNetwork network, int publicAddress) {
        this.network = network;
        this.publicAddress = publicAddress;
        network.attach(publicAddress, this);
    }

    public int publicAddress() {
        return publicAddress;
    }

    /** Attaches a node at a private address behind this NAT. */
    public void attachInside(int insideAddress, SimNode node) {
        insideNodes.put(insideAddress, node);
        network.attachBehindNat(insideAddress, this);
    }

    /** Forgets every mapping: existing flows get new public ports on their next packet. */
    public void rebind() {
        publicPortByFlow.clear();
        flowByPublicPort.clear();
        lastEspFlow = null;
        nextPort += 1000;
    }

    SimPacket outbound(SimPacket packet) {
        if (packet.protocol() == SimPacket.ESP) {
            lastEspFlow = new Flow(packet.src(), 0, SimPacket.ESP);
            return packet.withSource(publicAddress, 0);
        }
        Flow flow = new Flow(packet.src(), packet.srcPort(), packet.protocol());
        Integer port = publicPortByFlow.get(flow);
        if (port == null) {
            port = nextPort++;
            publicPortByFlow.put(flow, port);
            flowByPublicPort.put(port, flow);
        }
        return packet.withSource(publicAddress, port);
    }

    @Override
    public void receive(SimPacket packet) {
        Flow flow = packet.protocol() == SimPacket.ESP ? lastEspFlow : flowByPublicPort.get(packet.dstPort());
        if (flow == null) {
            return; // no mapping: a NAT drops unsolicited inbound packets
        }
        SimNode inside = insideNodes.get(flow.insideAddress());
        if (inside != null) {
            inside.receive(packet.withDestination(flow.insideAddress(), flow.insidePort()));
        }
    }
}
