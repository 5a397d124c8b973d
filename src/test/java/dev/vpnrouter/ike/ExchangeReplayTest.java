package dev.vpnrouter.ike;

import dev.vpnrouter.ike.wire.ExchangeType;
import dev.vpnrouter.ike.wire.IsakmpCodec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The replay the fuzz targets stand on: a whole exchange, and the same bytes every time. */
class ExchangeReplayTest {
    static List<String> shape(ExchangeReplay r) throws Exception {
        List<String> out = new ArrayList<>();
        for (Datagram d : r.delivered) {
            out.add((d.dst() == ExchangeReplay.HUB ? ">" : "<")
                    + ExchangeType.name(IsakmpCodec.decodeHeader(d.data()).exchangeType()));
        }
        return out;
    }

    @Test
    void spokeAndClientComeUpAndReplayIdentically() throws Exception {
        for (ExchangeReplay.Peer kind : ExchangeReplay.Peer.values()) {
            ExchangeReplay a = ExchangeReplay.start(kind).finish();
            ExchangeReplay b = ExchangeReplay.start(kind).finish();
            System.out.println(kind + " " + shape(a));
            assertThat(a.hub.childSas()).hasSize(1);
            assertThat(a.peer.childSas()).hasSize(1);
            assertThat(a.hub.counters().internalErrors).isZero();
            assertThat(a.delivered).hasSameSizeAs(b.delivered);
            for (int i = 0; i < a.delivered.size(); i++) {
                assertThat(a.delivered.get(i).data()).isEqualTo(b.delivered.get(i).data());
            }
        }
    }
}
