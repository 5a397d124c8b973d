package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import dev.vpnrouter.ike.wire.ConfigAttribute;
import dev.vpnrouter.ike.wire.DataAttribute;
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

    @Test
    void everythingWeSendDecodesToTheSame() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(37);
        for (int i = 0; i < 1000; i++) {
            ClientConfig c = config(r);
            assertThat(ModeConfigAttributes.decode(ModeConfigAttributes.encode(c, null))).as("case %d: %s", i, c)
                    .isEqualTo(c);
        }
    }

    private static int address(java.util.SplittableRandom r) {
        int a;
        do {
            a = r.nextInt();
        } while (a == 0);
        return a;
    }

    private static List<Integer> servers(java.util.SplittableRandom r) {
        List<Integer> out = new java.util.ArrayList<>();
        for (int n = r.nextInt(3); n > 0; n--) {
            out.add(address(r));
        }
        return out;
    }

    private static String chars(java.util.SplittableRandom r, char from, char to, int max) {
        char[] c = new char[r.nextInt(1, max + 1)];
        for (int i = 0; i < c.length; i++) {
            c[i] = (char) r.nextInt(from, to + 1);
        }
        return new String(c);
    }

    private static ClientConfig config(java.util.SplittableRandom r) {
        String domain = r.nextInt(10) < 3 ? null : chars(r, 'a', 'z', 12);
        List<TrafficSelector> split = new java.util.ArrayList<>();
        for (int n = r.nextInt(4); n > 0; n--) {
            TrafficSelector net = TrafficSelector.subnet(r.nextInt(), Ipv4.maskOf(r.nextInt(1, 33)));
            if (!split.contains(net)) {
                split.add(net);
            }
        }
        List<String> splitDns = new java.util.ArrayList<>();
        for (int n = r.nextInt(4); n > 0; n--) {
            splitDns.add(chars(r, 'a', 'z', 12));
        }
        String banner = r.nextInt(10) < 3 ? null : chars(r, '!', '~', 40);
        int flags = r.nextInt(8);
        return new ClientConfig(address(r), 0, servers(r), servers(r), domain, split, splitDns, banner,
                (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, splitDns, 3600, banner);
    }
}
