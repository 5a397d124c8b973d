package dev.vpnrouter.ike.cfg;

import dev.vpnrouter.ike.crypto.HashAlgorithm;
import dev.vpnrouter.ike.wire.IpsecAttribute;
import dev.vpnrouter.ike.wire.Phase1Attribute;
import dev.vpnrouter.ike.wire.TransformId;

import java.util.List;

/**
 * What our VPN client role needs to connect to a hub, as a Cisco VPN Client {@code .pcf} profile or vpnc's
 * configuration holds it: the hub, the group name and key, the Xauth user and password. The proposals default to
 * what the Cisco client offers (one DH group, since Aggressive Mode sends its KE in the first message).
 *
 * @param username   Xauth user name; null means "no credentials": Xauth requests go unanswered
 * @param password   Xauth password; never logged
 * @param ikeProposals phase-1 offer, all with the same DH group
 * @param espProposals Quick Mode offer
 * @param phase2LifetimeSeconds the lifetime proposed in Quick Mode; the Cisco client and vpnc propose 2147483 s and
 *                   let the hub shorten it with RESPONDER-LIFETIME
 * @param backupServers the gateways to try after {@code hub}, in order (a {@code .pcf}'s {@code BackupServer}); the
 *                   hub's Mode Config list replaces them once it comes ({@code ike.ClientFailover})
 */
public record VpnClientProfile(int hub, String group, byte[] groupKey, String username, String password,
        List<IkeProposal> ikeProposals, List<EspProposal> espProposals, long phase2LifetimeSeconds,
        List<Integer> backupServers) {

    public static final long CISCO_CLIENT_LIFETIME_SECONDS = 2_147_483;

    /** Phase-1 offer: AES-256, AES-128 and 3DES with SHA-1, then 3DES with MD5, all DH group 2, 1 day. */
    public static final List<IkeProposal> DEFAULT_IKE = List.of(
            proposal(1, Phase1Attribute.Encryption.AES_CBC, 256, HashAlgorithm.SHA1),
            proposal(2, Phase1Attribute.Encryption.AES_CBC, 128, HashAlgorithm.SHA1),
            proposal(3, Phase1Attribute.Encryption.TRIPLE_DES_CBC, 0, HashAlgorithm.SHA1),
            proposal(4, Phase1Attribute.Encryption.TRIPLE_DES_CBC, 0, HashAlgorithm.MD5));

    /** Quick Mode offer: AES-256, AES-128 and 3DES with HMAC-SHA1, then 3DES with HMAC-MD5, tunnel mode. */
    public static final List<EspProposal> DEFAULT_ESP = List.of(
            new EspProposal("client-aes256-sha", TransformId.Esp.ESP_AES, 256, IpsecAttribute.AuthAlgorithm.HMAC_SHA,
                    true),
            new EspProposal("client-aes-sha", TransformId.Esp.ESP_AES, 128, IpsecAttribute.AuthAlgorithm.HMAC_SHA,
                    true),
            new EspProposal("client-3des-sha", TransformId.Esp.ESP_3DES, 0, IpsecAttribute.AuthAlgorithm.HMAC_SHA,
                    true),
            new EspProposal("client-3des-md5", TransformId.Esp.ESP_3DES, 0, IpsecAttribute.AuthAlgorithm.HMAC_MD5,
                    true));

    public VpnClientProfile {
        if (group == null || groupKey == null) {
            throw new IllegalArgumentException("a group name and key are required");
        }
        groupKey = groupKey.clone();
        ikeProposals = List.copyOf(ikeProposals);
        espProposals = List.copyOf(espProposals);
        backupServers = List.copyOf(backupServers);
        if (ikeProposals.isEmpty() || espProposals.isEmpty()) {
            throw new IllegalArgumentException("at least one IKE and one ESP proposal are required");
        }
        int group0 = ikeProposals.getFirst().dhGroup();
        for (IkeProposal p : ikeProposals) {
            if (p.dhGroup() != group0) {
                throw new IllegalArgumentException("Aggressive Mode offers one DH group, not " + group0 + " and "
                        + p.dhGroup());
            }
        }
    }

    /** A profile with the default proposals. */
    public static VpnClientProfile of(int hub, String group, byte[] groupKey, String username, String password) {
        return new VpnClientProfile(hub, group, groupKey, username, password, DEFAULT_IKE, DEFAULT_ESP,
                CISCO_CLIENT_LIFETIME_SECONDS, List.of());
    }

    public VpnClientProfile withProposals(List<IkeProposal> ike, List<EspProposal> esp) {
        return new VpnClientProfile(hub, group, groupKey, username, password, ike, esp, phase2LifetimeSeconds,
                backupServers);
    }

    /** This profile with gateways to try after the hub, in order. */
    public VpnClientProfile withBackupServers(List<Integer> servers) {
        return new VpnClientProfile(hub, group, groupKey, username, password, ikeProposals, espProposals,
                phase2LifetimeSeconds, servers);
    }

    /** The same credentials and offer, for another gateway. */
    public VpnClientProfile withHub(int gateway) {
        return new VpnClientProfile(gateway, group, groupKey, username, password, ikeProposals, espProposals,
                phase2LifetimeSeconds, backupServers);
    }

    @Override
    public byte[] groupKey() {
        return groupKey.clone();
    }

    private static IkeProposal proposal(int priority, int encryption, int keyBits, HashAlgorithm hash) {
        return new IkeProposal(priority, encryption, keyBits, hash, Phase1Attribute.AuthMethod.XAUTH_INIT_PRESHARED,
                2, 86_400);
    }

    @Override
    public String toString() {
        return "VpnClientProfile[group " + group + ", user " + username + "]"; // never print the keys
    }
}
