package dev.vpnrouter.ike.wire;

/** Types of the Attributes payload (draft-dukes-ike-mode-cfg-02 3.2). */
public final class ConfigType {
    public static final int ISAKMP_CFG_REQUEST = 1;
    public static final int ISAKMP_CFG_REPLY = 2;
    public static final int ISAKMP_CFG_SET = 3;
    public static final int ISAKMP_CFG_ACK = 4;

    private static final Names NAMES = Names.of(ConfigType.class);

    private ConfigType() {
    }

    public static String name(int value) {
        return NAMES.name(value);
    }
}
