package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import dev.vpnrouter.ike.wire.ConfigAttribute;
import dev.vpnrouter.ike.wire.DataAttribute;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ModeConfigAttributesTest {
    static final ClientConfig SEED = new ClientConfig(Ipv4.parse("10.5.5.1"), 0,
            List.of(Ipv4.parse("1.1.1.1"), Ipv4.parse("2.2.2.2")), List.of(Ipv4.parse("3.3.3.3"), Ipv4.parse("4.4.4.4")),
            "cisco.com", List.of(), List.of(), null, false, false, false, List.of(), 86_386, "IOS");

    @Test
    void answersOnlyWhatWasAskedAndWhatWeHave() {
        // The seed's Cisco client request (IOS debug): address, netmask, DNS, NBNS, expiry, Unity 0x7000-0x700A...
        Set<Integer> asked = ModeConfigAttributes.requested(List.of(
                DataAttribute.empty(ConfigAttribute.INTERNAL_IP4_ADDRESS),
                DataAttribute.empty(ConfigAttribute.INTERNAL_IP4_NETMASK),
                DataAttribute.empty(ConfigAttribute.INTERNAL_IP4_DNS),
                DataAttribute.empty(ConfigAttribute.INTERNAL_IP4_NBNS),
                DataAttribute.empty(ConfigAttribute.INTERNAL_ADDRESS_EXPIRY),
                DataAttribute.empty(ConfigAttribute.UNITY_BANNER), DataAttribute.empty(ConfigAttribute.UNITY_DEF_DOMAIN),
                DataAttribute.empty(ConfigAttribute.UNITY_FW_TYPE),
                DataAttribute.empty(ConfigAttribute.UNITY_DDNS_HOSTNAME),
                DataAttribute.empty(ConfigAttribute.UNITY_NATT_PORT)));
        List<DataAttribute> reply = ModeConfigAttributes.encode(SEED, asked);
        assertThat(reply).extracting(DataAttribute::type).containsExactly(ConfigAttribute.INTERNAL_IP4_ADDRESS,
                ConfigAttribute.INTERNAL_IP4_DNS, ConfigAttribute.INTERNAL_IP4_DNS, ConfigAttribute.INTERNAL_IP4_NBNS,
                ConfigAttribute.INTERNAL_IP4_NBNS, ConfigAttribute.INTERNAL_ADDRESS_EXPIRY,
                ConfigAttribute.UNITY_DEF_DOMAIN);
        assertThat(reply.get(5).value()).containsExactly(0, 1, 0x51, 0x72); // 86386, 4 bytes
        // APPLICATION_VERSION was not asked for here.
        assertThat(reply).noneMatch(a -> a.type() == ConfigAttribute.APPLICATION_VERSION);
    }

    @Test
    void splitIncludeEntriesAre14Bytes() {
        byte[] v = ModeConfigAttributes.splitEntries(List.of(
                TrafficSelector.subnet(Ipv4.parse("10.1.0.0"), Ipv4.parse("255.255.0.0"))));
        assertThat(dev.vpnrouter.common.Hex.of(v)).isEqualTo("0a010000ffff0000000000000000");
        // A trailing partial entry and a non-contiguous mask are skipped.
        byte[] odd = new byte[14 + 14 + 5];
        System.arraycopy(v, 0, odd, 0, 14);
        odd[18] = (byte) 0xff;
        odd[19] = 0;
        odd[20] = (byte) 0xff;
        assertThat(ModeConfigAttributes.splitNetworks(odd)).hasSize(1);
    }

    @Test
    void malformedValuesAreSkipped() {
        ClientConfig c = ModeConfigAttributes.decode(List.of(
                DataAttribute.tlv(ConfigAttribute.INTERNAL_IP4_ADDRESS, new byte[3]),
                DataAttribute.tlv(ConfigAttribute.INTERNAL_IP4_DNS, new byte[5]),
                DataAttribute.ipv4(ConfigAttribute.INTERNAL_IP4_DNS, Ipv4.parse("9.9.9.9")),
                DataAttribute.tlv(ConfigAttribute.UNITY_DEF_DOMAIN, "corp\0".getBytes()),
                DataAttribute.tlv(ConfigAttribute.INTERNAL_ADDRESS_EXPIRY, new byte[12]),
                DataAttribute.empty(0x7fff)));
        assertThat(c.address()).isZero();
        assertThat(c.dns()).containsExactly(Ipv4.parse("9.9.9.9"));
        assertThat(c.domain()).isEqualTo("corp");
        assertThat(c.addressExpirySeconds()).isZero();
    }

    @Property
    void everythingWeSendDecodesToTheSame(@ForAll("configs") ClientConfig c) {
        assertThat(ModeConfigAttributes.decode(ModeConfigAttributes.encode(c, null))).isEqualTo(c);
    }

    @Provide
    Arbitrary<ClientConfig> configs() {
        Arbitrary<Integer> address = Arbitraries.integers().filter(a -> a != 0);
        Arbitrary<List<Integer>> servers = address.list().ofMaxSize(2);
        Arbitrary<TrafficSelector> net = Combinators.combine(Arbitraries.integers(),
                Arbitraries.integers().between(1, 32)).as((a, len) -> TrafficSelector.subnet(a, Ipv4.maskOf(len)));
        Arbitrary<String> word = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> text = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(40);
        return Combinators.combine(address, servers, servers, word.injectNull(0.3),
                net.list().uniqueElements().ofMaxSize(3), word.list().ofMaxSize(3), text.injectNull(0.3),
                Arbitraries.integers().between(0, 7)).as((a, dns, wins, domain, split, splitDns, banner, flags) ->
                new ClientConfig(a, 0, dns, wins, domain, split, splitDns, banner, (flags & 1) != 0,
                        (flags & 2) != 0, (flags & 4) != 0, splitDns, 3600, banner));
    }
}
