package dev.vpnrouter.ike.wire;

/**
 * Attribute types of the Attributes payload: Mode Config (draft-dukes-ike-mode-cfg-02), Xauth
 * (draft-ietf-ipsec-isakmp-xauth-06) and Cisco Unity (0x7000-0x700A).
 */
public final class ConfigAttribute {
    public static final int INTERNAL_IP4_ADDRESS = 1;
    public static final int INTERNAL_IP4_NETMASK = 2;
    public static final int INTERNAL_IP4_DNS = 3;
    public static final int INTERNAL_IP4_NBNS = 4;
    public static final int INTERNAL_ADDRESS_EXPIRY = 5;
    public static final int INTERNAL_IP4_DHCP = 6;
    public static final int APPLICATION_VERSION = 7;
    public static final int INTERNAL_IP6_ADDRESS = 8;
    public static final int INTERNAL_IP6_NETMASK = 9;
    public static final int INTERNAL_IP6_DNS = 10;
    public static final int INTERNAL_IP6_NBNS = 11;
    public static final int INTERNAL_IP6_DHCP = 12;
    public static final int INTERNAL_IP4_SUBNET = 13;
    public static final int SUPPORTED_ATTRIBUTES = 14;
    public static final int INTERNAL_IP6_SUBNET = 15;

    public static final int XAUTH_TYPE = 16520;
    public static final int XAUTH_USER_NAME = 16521;
    public static final int XAUTH_USER_PASSWORD = 16522;
    public static final int XAUTH_PASSCODE = 16523;
    public static final int XAUTH_MESSAGE = 16524;
    public static final int XAUTH_CHALLENGE = 16525;
    public static final int XAUTH_DOMAIN = 16526;
    public static final int XAUTH_STATUS = 16527;
    public static final int XAUTH_NEXT_PIN = 16528;
    public static final int XAUTH_ANSWER = 16529;

    public static final int UNITY_BANNER = 0x7000;
    public static final int UNITY_SAVE_PASSWD = 0x7001;
    public static final int UNITY_DEF_DOMAIN = 0x7002;
    public static final int UNITY_SPLITDNS_NAME = 0x7003;
    public static final int UNITY_SPLIT_INCLUDE = 0x7004;
    public static final int UNITY_NATT_PORT = 0x7005;
    public static final int UNITY_LOCAL_LAN = 0x7006;
    public static final int UNITY_PFS = 0x7007;
    public static final int UNITY_FW_TYPE = 0x7008;
    public static final int UNITY_BACKUP_SERVERS = 0x7009;
    public static final int UNITY_DDNS_HOSTNAME = 0x700A;

    private static final Names NAMES = Names.of(ConfigAttribute.class);

    private ConfigAttribute() {
    }

    public static String name(int type) {
        return NAMES.name(type);
    }

    /** Values of {@link #XAUTH_TYPE}. */
    public static final class XauthType {
        public static final int GENERIC = 0;
        public static final int RADIUS_CHAP = 1;
        public static final int OTP = 2;
        public static final int S_KEY = 3;

        private XauthType() {
        }
    }

    /** Values of {@link #XAUTH_STATUS}. */
    public static final class XauthStatus {
        public static final int FAIL = 0;
        public static final int OK = 1;

        private XauthStatus() {
        }
    }
}
