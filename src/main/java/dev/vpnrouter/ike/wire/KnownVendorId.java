package dev.vpnrouter.ike.wire;

import dev.vpnrouter.common.Hex;
import java.util.Arrays;
import java.util.Optional;

/**
 * Vendor IDs this project recognises, with the names strongSwan ("received XAuth vendor ID") and IOS ("vendor ID is
 * Xauth") print. The seed's IOS debug shows Xauth, DPD, Unity and NAT-T v2; where the IOS wording is not known the
 * strongSwan name is used. Any other vendor ID is just a {@link VendorIdPayload} value; {@link #identify} returns
 * empty for it.
 */
public enum KnownVendorId {
    /** MD5("draft-ietf-ipsra-isakmp-xauth-06.txt"), first 8 bytes. */
    XAUTH("09002689dfd6b712", Match.EXACT, "XAuth", "Xauth"),
    /** RFC 3706. */
    DPD("afcad71368a1f1c96b8696fc77570100", Match.EXACT, "DPD", "DPD"),
    /** CISCO-UNITY 1.0; the last two bytes are a version, so longer IDs with this prefix also match. */
    CISCO_UNITY("12f5f28c457168a9702d9fe274cc0100", Match.PREFIX, "Cisco Unity", "Unity"),
    NAT_T_RFC3947("4a131c81070358455c5728f20e95452f", Match.EXACT, "NAT-T (RFC 3947)", "NAT-T RFC 3947"),
    NAT_T_DRAFT_03("7d9419a65310ca6f2c179d9215529d56", Match.EXACT, "draft-ietf-ipsec-nat-t-ike-03", "NAT-T v3"),
    NAT_T_DRAFT_02("cd60464335df21f87cfdb2fc68b6a448", Match.EXACT, "draft-ietf-ipsec-nat-t-ike-02", "NAT-T v2"),
    /** MD5 of the draft name with a trailing newline, as sent by early implementations. */
    NAT_T_DRAFT_02N("90cb80913ebb696e086381b5ec427b1f", Match.EXACT, "draft-ietf-ipsec-nat-t-ike-02\\n", "NAT-T v2"),
    NAT_T_DRAFT_00("4485152d18b6bbcd0be8a8469579ddcc", Match.EXACT, "draft-ietf-ipsec-nat-t-ike-00",
            "draft-ietf-ipsec-nat-t-ike-00"),
    /**
     * Cisco IKE fragmentation: 16 bytes, optionally followed by 4 capability bytes (strongSwan sends 0x80000000, IOS
     * 0xc0000000). The canonical bytes are strongSwan's 20-byte form.
     */
    CISCO_FRAGMENTATION("4048b7d56ebce88525e7de7f00d6c2d380000000", Match.FRAGMENTATION, "FRAGMENTATION",
            "FRAGMENTATION"),
    /** MD5("strongSwan"). */
    STRONGSWAN("882fe56d6fd20dbc2251613b2ebe5beb", Match.EXACT, "strongSwan", "strongSwan"),
    /** Windows; followed by a version number. */
    MS_NT5_ISAKMPOAKLEY("1e2b516905991c7d7c96fcbfb587e461", Match.PREFIX, "MS NT5 ISAKMPOAKLEY",
            "MS NT5 ISAKMPOAKLEY");

    private enum Match {
        EXACT, PREFIX, FRAGMENTATION
    }

    private final byte[] bytes;
    private final Match match;
    private final String strongSwanName;
    private final String iosName;

    KnownVendorId(String hex, Match match, String strongSwanName, String iosName) {
        this.bytes = Hex.decode(hex);
        this.match = match;
        this.strongSwanName = strongSwanName;
        this.iosName = iosName;
    }

    /** The bytes we send for this vendor ID. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public VendorIdPayload payload() {
        return new VendorIdPayload(bytes);
    }

    /** As strongSwan logs it: "received {name} vendor ID". */
    public String strongSwanName() {
        return strongSwanName;
    }

    /** As IOS debug prints it: "vendor ID is {name}". */
    public String iosName() {
        return iosName;
    }

    public boolean matches(byte[] vid) {
        return switch (match) {
            case EXACT -> Arrays.equals(vid, bytes);
            case PREFIX -> vid.length >= bytes.length && Arrays.equals(vid, 0, bytes.length, bytes, 0, bytes.length);
            case FRAGMENTATION -> (vid.length == 16 || vid.length == 20) && Arrays.equals(vid, 0, 16, bytes, 0, 16);
        };
    }

    /** The known vendor ID {@code vid} is, or empty for any other value. */
    public static Optional<KnownVendorId> identify(byte[] vid) {
        for (KnownVendorId k : values()) {
            if (k.matches(vid)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
