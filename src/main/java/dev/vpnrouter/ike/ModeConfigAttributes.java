package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import dev.vpnrouter.ike.wire.ConfigAttribute;
import dev.vpnrouter.ike.wire.DataAttribute;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Mode Config attributes (draft-dukes-ike-mode-cfg-02 and the Cisco Unity 0x7000-0x700A set) to and from a
 * {@link ClientConfig}: one place that knows each attribute's form, for the hub's REPLY/SET and the client's
 * REQUEST/REPLY. Values the peer got wrong (an address that is not 4 bytes...) are skipped, never thrown.
 */
final class ModeConfigAttributes {
    /** Unity split include/exclude entries: address, mask, then 6 bytes of protocol and ports (zero). */
    static final int SPLIT_ENTRY_LENGTH = 14;

    /** What the hub can answer, in the order it answers (strongSwan's order for the attributes both send). */
    static final List<Integer> SUPPORTED = List.of(ConfigAttribute.INTERNAL_IP4_ADDRESS,
            ConfigAttribute.INTERNAL_IP4_NETMASK, ConfigAttribute.INTERNAL_IP4_DNS, ConfigAttribute.INTERNAL_IP4_NBNS,
            ConfigAttribute.INTERNAL_ADDRESS_EXPIRY, ConfigAttribute.UNITY_DEF_DOMAIN,
            ConfigAttribute.UNITY_SPLIT_INCLUDE, ConfigAttribute.UNITY_SPLITDNS_NAME, ConfigAttribute.UNITY_BANNER,
            ConfigAttribute.UNITY_SAVE_PASSWD, ConfigAttribute.UNITY_LOCAL_LAN, ConfigAttribute.UNITY_PFS,
            ConfigAttribute.UNITY_BACKUP_SERVERS, ConfigAttribute.APPLICATION_VERSION,
            ConfigAttribute.INTERNAL_IP4_SUBNET, ConfigAttribute.SUPPORTED_ATTRIBUTES);

    /** What our client asks for (the Cisco client's list, minus the firewall and DDNS attributes). */
    static final List<Integer> CLIENT_REQUEST = List.of(ConfigAttribute.INTERNAL_IP4_ADDRESS,
            ConfigAttribute.INTERNAL_IP4_NETMASK, ConfigAttribute.INTERNAL_IP4_DNS, ConfigAttribute.INTERNAL_IP4_NBNS,
            ConfigAttribute.INTERNAL_ADDRESS_EXPIRY, ConfigAttribute.UNITY_BANNER, ConfigAttribute.UNITY_SAVE_PASSWD,
            ConfigAttribute.UNITY_DEF_DOMAIN, ConfigAttribute.UNITY_SPLIT_INCLUDE, ConfigAttribute.UNITY_SPLITDNS_NAME,
            ConfigAttribute.UNITY_LOCAL_LAN, ConfigAttribute.UNITY_PFS, ConfigAttribute.UNITY_BACKUP_SERVERS,
            ConfigAttribute.APPLICATION_VERSION);

    private ModeConfigAttributes() {
    }

    /** The attribute types a REQUEST asks for, each once, in the order asked. */
    static Set<Integer> requested(List<DataAttribute> attributes) {
        Set<Integer> types = new LinkedHashSet<>();
        for (DataAttribute a : attributes) {
            types.add(a.type());
        }
        return types;
    }

    /** Our client's REQUEST: empty attributes, APPLICATION_VERSION with our own version. */
    static List<DataAttribute> clientRequest(String ourVersion) {
        List<DataAttribute> out = new ArrayList<>();
        for (int type : CLIENT_REQUEST) {
            out.add(type == ConfigAttribute.APPLICATION_VERSION && ourVersion != null
                    ? DataAttribute.text(type, ourVersion) : DataAttribute.empty(type));
        }
        return out;
    }

    /**
     * The attributes of {@code c} for a REPLY to a request for {@code requested} (or, with null, everything we have
     * for a SET), in {@link #SUPPORTED} order. Attributes we do not support or have no value for are left out: the
     * draft's answer to a request we cannot fill.
     */
    static List<DataAttribute> encode(ClientConfig c, Set<Integer> requested) {
        List<DataAttribute> out = new ArrayList<>();
        for (int type : SUPPORTED) {
            if (requested != null && !requested.contains(type)) {
                continue;
            }
            switch (type) {
                case ConfigAttribute.INTERNAL_IP4_ADDRESS -> addIf(out, c.address() != 0,
                        () -> DataAttribute.ipv4(type, c.address()));
                case ConfigAttribute.INTERNAL_IP4_NETMASK -> addIf(out, c.netmask() != 0,
                        () -> DataAttribute.ipv4(type, c.netmask()));
                case ConfigAttribute.INTERNAL_IP4_DNS -> c.dns().forEach(a -> out.add(DataAttribute.ipv4(type, a)));
                case ConfigAttribute.INTERNAL_IP4_NBNS -> c.wins().forEach(a -> out.add(DataAttribute.ipv4(type, a)));
                case ConfigAttribute.INTERNAL_ADDRESS_EXPIRY -> addIf(out, c.addressExpirySeconds() > 0,
                        () -> DataAttribute.tlv(type, four(c.addressExpirySeconds())));
                case ConfigAttribute.UNITY_DEF_DOMAIN -> addIf(out, c.domain() != null,
                        () -> DataAttribute.text(type, c.domain()));
                case ConfigAttribute.UNITY_SPLIT_INCLUDE -> addIf(out, !c.splitNetworks().isEmpty(),
                        () -> DataAttribute.tlv(type, splitEntries(c.splitNetworks())));
                case ConfigAttribute.UNITY_SPLITDNS_NAME -> addIf(out, !c.splitDns().isEmpty(),
                        () -> DataAttribute.text(type, String.join(",", c.splitDns())));
                case ConfigAttribute.UNITY_BANNER -> addIf(out, c.banner() != null,
                        () -> DataAttribute.text(type, c.banner()));
                case ConfigAttribute.UNITY_SAVE_PASSWD -> addIf(out, c.savePassword(), () -> DataAttribute.tv(type, 1));
                // Cisco expresses "include local LAN" as a split-exclude list holding 0.0.0.0/0.
                case ConfigAttribute.UNITY_LOCAL_LAN -> addIf(out, c.includeLocalLan(),
                        () -> DataAttribute.tlv(type, splitEntries(List.of(TrafficSelector.ANY))));
                case ConfigAttribute.UNITY_PFS -> addIf(out, c.pfs(), () -> DataAttribute.tv(type, 1));
                case ConfigAttribute.UNITY_BACKUP_SERVERS -> addIf(out, !c.backupServers().isEmpty(),
                        () -> DataAttribute.text(type, String.join(",", c.backupServers())));
                case ConfigAttribute.APPLICATION_VERSION -> addIf(out, c.applicationVersion() != null,
                        () -> DataAttribute.text(type, c.applicationVersion()));
                case ConfigAttribute.INTERNAL_IP4_SUBNET -> {
                    for (TrafficSelector s : c.splitNetworks()) {
                        byte[] v = new byte[8];
                        System.arraycopy(Ipv4.toBytes(s.address()), 0, v, 0, 4);
                        System.arraycopy(Ipv4.toBytes(s.mask()), 0, v, 4, 4);
                        out.add(DataAttribute.tlv(type, v));
                    }
                }
                case ConfigAttribute.SUPPORTED_ATTRIBUTES -> {
                    if (requested != null) {
                        byte[] v = new byte[SUPPORTED.size() * 2];
                        for (int i = 0; i < SUPPORTED.size(); i++) {
                            v[2 * i] = (byte) (SUPPORTED.get(i) >>> 8);
                            v[2 * i + 1] = (byte) (int) SUPPORTED.get(i);
                        }
                        out.add(DataAttribute.tlv(type, v));
                    }
                }
                default -> throw new IllegalStateException("unlisted attribute " + type);
            }
        }
        return out;
    }

    private static void addIf(List<DataAttribute> out, boolean present,
            java.util.function.Supplier<DataAttribute> attribute) {
        if (present) {
            out.add(attribute.get());
        }
    }

    /** What a REPLY or SET carries, read leniently: malformed values are skipped. */
    static ClientConfig decode(List<DataAttribute> attributes) {
        int address = 0;
        int netmask = 0;
        List<Integer> dns = new ArrayList<>();
        List<Integer> wins = new ArrayList<>();
        String domain = null;
        List<TrafficSelector> split = new ArrayList<>();
        List<String> splitDns = new ArrayList<>();
        String banner = null;
        boolean savePassword = false;
        boolean localLan = false;
        boolean pfs = false;
        List<String> backup = new ArrayList<>();
        long expiry = 0;
        String version = null;
        for (DataAttribute a : attributes) {
            byte[] v = a.value();
            switch (a.type()) {
                case ConfigAttribute.INTERNAL_IP4_ADDRESS -> address = v.length == 4 ? Ipv4.fromBytes(v, 0) : address;
                case ConfigAttribute.INTERNAL_IP4_NETMASK -> netmask = v.length == 4 ? Ipv4.fromBytes(v, 0) : netmask;
                case ConfigAttribute.INTERNAL_IP4_DNS -> addAddress(dns, v);
                case ConfigAttribute.INTERNAL_IP4_NBNS -> addAddress(wins, v);
                case ConfigAttribute.INTERNAL_ADDRESS_EXPIRY -> expiry = a.unsigned().orElse(expiry);
                case ConfigAttribute.UNITY_DEF_DOMAIN -> domain = v.length == 0 ? domain : text(v);
                case ConfigAttribute.UNITY_SPLIT_INCLUDE -> split.addAll(splitNetworks(v));
                case ConfigAttribute.INTERNAL_IP4_SUBNET -> {
                    if (v.length == 8 && Ipv4.isContiguousMask(Ipv4.fromBytes(v, 4))) {
                        TrafficSelector s = TrafficSelector.subnet(Ipv4.fromBytes(v, 0), Ipv4.fromBytes(v, 4));
                        if (!split.contains(s)) {
                            split.add(s);
                        }
                    }
                }
                case ConfigAttribute.UNITY_SPLITDNS_NAME -> splitDns.addAll(list(v));
                case ConfigAttribute.UNITY_BANNER -> banner = v.length == 0 ? banner : text(v);
                case ConfigAttribute.UNITY_SAVE_PASSWD -> savePassword = a.unsigned().orElse(0) != 0;
                case ConfigAttribute.UNITY_LOCAL_LAN -> localLan = v.length > 0;
                case ConfigAttribute.UNITY_PFS -> pfs = a.unsigned().orElse(0) != 0;
                case ConfigAttribute.UNITY_BACKUP_SERVERS -> backup.addAll(list(v));
                case ConfigAttribute.APPLICATION_VERSION -> version = v.length == 0 ? version : text(v);
                default -> {
                    // not for us (firewall type, DDNS host name, IPv6...)
                }
            }
        }
        return new ClientConfig(address, netmask, dns, wins, domain, List.copyOf(new LinkedHashSet<>(split)), splitDns, banner, savePassword, localLan,
                pfs, backup, expiry, version);
    }

    static byte[] splitEntries(List<TrafficSelector> networks) {
        byte[] v = new byte[networks.size() * SPLIT_ENTRY_LENGTH];
        for (int i = 0; i < networks.size(); i++) {
            System.arraycopy(Ipv4.toBytes(networks.get(i).address()), 0, v, i * SPLIT_ENTRY_LENGTH, 4);
            System.arraycopy(Ipv4.toBytes(networks.get(i).mask()), 0, v, i * SPLIT_ENTRY_LENGTH + 4, 4);
        }
        return v;
    }

    static List<TrafficSelector> splitNetworks(byte[] v) {
        List<TrafficSelector> out = new ArrayList<>();
        for (int at = 0; at + SPLIT_ENTRY_LENGTH <= v.length; at += SPLIT_ENTRY_LENGTH) {
            int mask = Ipv4.fromBytes(v, at + 4);
            if (Ipv4.isContiguousMask(mask)) {
                out.add(TrafficSelector.subnet(Ipv4.fromBytes(v, at), mask));
            }
        }
        return out;
    }

    private static void addAddress(List<Integer> to, byte[] v) {
        if (v.length == 4) {
            to.add(Ipv4.fromBytes(v, 0));
        }
    }

    private static String text(byte[] v) {
        // Some peers NUL-terminate strings.
        int end = v.length;
        while (end > 0 && v[end - 1] == 0) {
            end--;
        }
        return new String(Arrays.copyOf(v, end), StandardCharsets.UTF_8);
    }

    private static List<String> list(byte[] v) {
        List<String> out = new ArrayList<>();
        for (String s : text(v).split("[, ]+")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    private static byte[] four(long v) {
        long x = Math.min(v, 0xffffffffL);
        return new byte[] {(byte) (x >>> 24), (byte) (x >>> 16), (byte) (x >>> 8), (byte) x};
    }

    /** The name IOS's {@code debug crypto isakmp} gives an attribute. */
    static String iosName(int type) {
        return switch (type) {
            case ConfigAttribute.INTERNAL_IP4_ADDRESS -> "IP4_ADDRESS";
            case ConfigAttribute.INTERNAL_IP4_NETMASK -> "IP4_NETMASK";
            case ConfigAttribute.INTERNAL_IP4_DNS -> "IP4_DNS";
            case ConfigAttribute.INTERNAL_IP4_NBNS -> "IP4_NBNS";
            case ConfigAttribute.INTERNAL_ADDRESS_EXPIRY -> "ADDRESS_EXPIRY";
            case ConfigAttribute.APPLICATION_VERSION -> "APPLICATION_VERSION";
            case ConfigAttribute.INTERNAL_IP4_SUBNET -> "IP4_SUBNET";
            case ConfigAttribute.SUPPORTED_ATTRIBUTES -> "SUPPORTED_ATTRIBUTES";
            case ConfigAttribute.UNITY_BANNER -> "MODECFG_BANNER";
            case ConfigAttribute.UNITY_SAVE_PASSWD -> "SAVE_PASSWORD";
            case ConfigAttribute.UNITY_DEF_DOMAIN -> "DEFAULT_DOMAIN";
            case ConfigAttribute.UNITY_SPLITDNS_NAME -> "SPLIT_DNS";
            case ConfigAttribute.UNITY_SPLIT_INCLUDE -> "SPLIT_INCLUDE";
            case ConfigAttribute.UNITY_LOCAL_LAN -> "INCLUDE_LOCAL_LAN";
            case ConfigAttribute.UNITY_PFS -> "PFS";
            case ConfigAttribute.UNITY_BACKUP_SERVERS -> "BACKUP_SERVER";
            case ConfigAttribute.UNITY_FW_TYPE -> "FW_RECORD";
            case ConfigAttribute.UNITY_DDNS_HOSTNAME -> "MODECFG_HOSTNAME";
            default -> String.format("UNKNOWN Unknown Attr: 0x%X", type);
        };
    }
}
