package dev.vpnrouter.interop;

/**
 * strongSwan configurations equivalent to the seed scenario (examples/seed/hub.cfg and spoke.cfg), for real peers
 * in the interop tests. Every connection has {@code encap = yes} (libipsec only speaks ESP in UDP).
 *
 * <p>The seed's values: IKE 3DES / SHA1 / group 2 (modp1024) / PSK; ESP 3DES + HMAC-SHA1 (transform set
 * {@code myset}), no PFS; L2L key {@code cisco123} (wildcard on the hub); client group {@code testgroup} with key
 * {@code cisco321}, Xauth user {@code gfullage} whose type-7 password in hub.cfg decodes to {@code gfullage}; pool
 * 10.5.5.1-10.5.5.254, DNS 1.1.1.1 2.2.2.2, WINS 3.3.3.3 4.4.4.4, domain cisco.com.
 */
public final class SeedPeers {
    public static final String L2L_PSK = "cisco123";
    public static final String GROUP = "testgroup";
    public static final String GROUP_KEY = "cisco321";
    public static final String XAUTH_USER = "gfullage";
    /** {@code username gfullage password 7 0201024E070A0E2649} decoded. */
    public static final String XAUTH_PASSWORD = "gfullage";
    public static final String HUB_LAN = "10.1.0.0/16";
    public static final String SPOKE_LAN = "10.2.0.0/16";
    public static final String IKE_PROPOSAL = "3des-sha1-modp1024";
    public static final String ESP_PROPOSAL = "3des-sha1";
    /** Unity attribute UNITY_DEF_DOMAIN (28674), how IOS sends {@code domain cisco.com}. */
    public static final int UNITY_DEF_DOMAIN = 28674;

    /** Names of the connections and children below, for {@link StrongSwan#initiate}/awaitEstablished. */
    public static final String HUB_L2L_CONN = "spokes";
    public static final String HUB_L2L_CHILD = "spoke-lan";
    public static final String HUB_CLIENT_CONN = "ra";
    public static final String HUB_CLIENT_CHILD = "ra-net";
    public static final String SPOKE_CONN = "hub";
    public static final String SPOKE_CHILD = "hub-lan";

    private SeedPeers() {
    }

    /**
     * The seed hub as strongSwan: L2L for any spoke address with the wildcard key (Main Mode), and the VPN client
     * group in Aggressive Mode with Xauth and Mode Config from the pool. Needs
     * {@code i_dont_care_about_security_and_use_aggressive_mode_psk} ({@link StrongSwan.Options#defaults()}).
     */
    public static String hub(String hubAddress) {
        return """
                connections {
                  %1$s {
                    version = 1
                    aggressive = no
                    local_addrs = %2$s
                    proposals = %3$s
                    encap = yes
                    local {
                      auth = psk
                    }
                    remote {
                      auth = psk
                    }
                    children {
                      %4$s {
                        local_ts = %5$s
                        remote_ts = %6$s
                        esp_proposals = %7$s
                      }
                    }
                  }
                  %8$s {
                    version = 1
                    aggressive = yes
                    local_addrs = %2$s
                    proposals = %3$s
                    encap = yes
                    pools = ippool
                    local {
                      auth = psk
                    }
                    remote {
                      auth = psk
                      id = keyid:%10$s
                    }
                    remote-xauth {
                      auth = xauth
                    }
                    children {
                      %9$s {
                        local_ts = %5$s
                        esp_proposals = %7$s
                      }
                    }
                  }
                }
                pools {
                  ippool {
                    addrs = 10.5.5.1-10.5.5.254
                    dns = 1.1.1.1, 2.2.2.2
                    nbns = 3.3.3.3, 4.4.4.4
                    %11$d = cisco.com
                  }
                }
                secrets {
                  ike-spokes {
                    secret = %12$s
                  }
                  ike-group {
                    id = keyid:%10$s
                    secret = %13$s
                  }
                  xauth-user {
                    id = %14$s
                    secret = %15$s
                  }
                }
                """.formatted(HUB_L2L_CONN, hubAddress, IKE_PROPOSAL, HUB_L2L_CHILD, HUB_LAN, SPOKE_LAN,
                ESP_PROPOSAL, HUB_CLIENT_CONN, HUB_CLIENT_CHILD, GROUP, UNITY_DEF_DOMAIN, L2L_PSK, GROUP_KEY,
                XAUTH_USER, XAUTH_PASSWORD);
    }

    /** The seed spoke as strongSwan: Main Mode to the hub, 10.2.0.0/16 <-> 10.1.0.0/16 (ACL 100). */
    public static String spoke(String hubAddress) {
        return spoke(hubAddress, SPOKE_LAN);
    }

    /** The seed spoke as strongSwan claiming {@code localTs} (strongSwan's syntax) as its own side. */
    public static String spoke(String hubAddress, String localTs) {
        return """
                connections {
                  %1$s {
                    version = 1
                    aggressive = no
                    remote_addrs = %2$s
                    proposals = %3$s
                    encap = yes
                    local {
                      auth = psk
                    }
                    remote {
                      auth = psk
                      id = %2$s
                    }
                    children {
                      %4$s {
                        local_ts = %5$s
                        remote_ts = %6$s
                        esp_proposals = %7$s
                      }
                    }
                  }
                }
                secrets {
                  ike-hub {
                    id = %2$s
                    secret = %8$s
                  }
                }
                """.formatted(SPOKE_CONN, hubAddress, IKE_PROPOSAL, SPOKE_CHILD, localTs, HUB_LAN, ESP_PROPOSAL,
                L2L_PSK);
    }
}
