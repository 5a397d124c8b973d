package dev.vpnrouter.ike;

import dev.vpnrouter.ike.cfg.EnginePolicy;
import dev.vpnrouter.ike.wire.IsakmpCodec;
import dev.vpnrouter.ike.wire.IsakmpDecodeException;
import dev.vpnrouter.ike.wire.IsakmpHeader;
import dev.vpnrouter.sim.SimNetwork;
import dev.vpnrouter.sim.SimPacket;
import dev.vpnrouter.sim.SimRouter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A lab router for remote-access tests: records the ISAKMP headers it receives (a tap on its wire), the Mode
 * Config settings its client role gets, and its debug lines.
 */
class LabRouter extends SimRouter {
    final List<IsakmpHeader> received = new ArrayList<>();
    final List<byte[]> receivedIsakmp = new ArrayList<>();
    final List<ClientConfig> configured = new ArrayList<>();
    final List<String> log = new ArrayList<>();

    LabRouter(String name, SimNetwork network, int address, EnginePolicy policy, long seed) {
        super(name, network, address, policy, seed);
        engine().setDebug(true);
        onDebug(log::add);
    }

    @Override
    public void receive(SimPacket packet) {
        if (packet.protocol() == SimPacket.UDP) {
            byte[] p = packet.payload();
            if (packet.dstPort() == 4500 && p.length >= 4 && p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 0) {
                p = Arrays.copyOfRange(p, 4, p.length);
            }
            if (packet.dstPort() == 500 || p != packet.payload()) {
                try {
                    received.add(IsakmpCodec.decodeHeader(p));
                    receivedIsakmp.add(p);
                } catch (IsakmpDecodeException e) {
                    // not ISAKMP: nothing to record
                }
            }
        }
        super.receive(packet);
    }

    @Override
    protected void onClientConfigured(IkeEffect.ClientConfigured c) {
        configured.add(c.config());
    }

    long receivedOfExchange(int exchangeType) {
        return received.stream().filter(h -> h.exchangeType() == exchangeType).count();
    }

    long logCount(String fragment) {
        return log.stream().filter(l -> l.contains(fragment)).count();
    }

    IkeSa onlySa() {
        List<IkeSa> sas = sas();
        if (sas.size() != 1) {
            throw new AssertionError(name() + " has " + sas.size() + " ISAKMP SAs");
        }
        return sas.getFirst();
    }

    List<IkeSa> sas() {
        List<IkeSa> out = new ArrayList<>();
        for (IkeSaView v : engine().ikeSas()) {
            out.add((IkeSa) v);
        }
        return out;
    }
}
