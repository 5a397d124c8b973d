package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.ike.cfg.ClientGroup;
import dev.vpnrouter.ike.wire.ConfigAttribute;
import dev.vpnrouter.ike.wire.ConfigType;
import dev.vpnrouter.ike.wire.DataAttribute;

import java.util.List;
import java.util.Set;

/**
 * Mode Config, hub side (draft-dukes-ike-mode-cfg-02): {@code client configuration address respond} answers the
 * client's REQUEST with a REPLY (the Cisco client and vpnc pull), {@code initiate} pushes a SET the client ACKs.
 * The address comes from the group's {@code ip local pool}, one per SA; the rest from the group. Attributes the
 * client asks for that we do not have or know are left out of the answer, as the seed's IOS does.
 */
final class ModeConfigServer {
    private ModeConfigServer() {
    }

    static void onRequest(IkeEngine engine, IkeSa sa, Transaction.Message m, long now) {
        if (sa.xauthRequired && !sa.xauthDone()) {
            engine.counters.negotiationsFailed++;
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Mode Config request from "
                    + Ipv4.format(sa.peerAddress) + " before Xauth completed, ignored");
            // Not finished: when our Xauth ACK was only delayed, the client's next copy is answered.
            engine.driver.forgetIv(sa, m.mid());
            return;
        }
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": checking request:");
        Set<Integer> requested = ModeConfigAttributes.requested(m.attr().attributes());
        for (DataAttribute a : m.attr().attributes()) {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP:    " + ModeConfigAttributes.iosName(a.type()));
        }
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Input = IKE_MSG_FROM_PEER, IKE_CFG_REQUEST");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag()
                + ": Old State = IKE_P1_COMPLETE New State = IKE_CONFIG_AUTHOR_AAA_AWAIT");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP: got callback 1"); // the group's attributes, no AAA server asked
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": attributes sent in message:");
        ClientConfig config = configFor(engine, sa, requested.contains(ConfigAttribute.INTERNAL_IP4_ADDRESS), now);
        if (config == null) {
            return; // refused (pool exhausted, limits): the SA is gone
        }
        List<DataAttribute> reply = ModeConfigAttributes.encode(config, requested);
        logSent(engine, sa, reply, requested);
        Transaction.sendAnswer(engine, sa, m, ConfigType.ISAKMP_CFG_REPLY, reply);
        engine.debug(DebugCategory.ENGINE, "CryptoEngine0: generate hmac context for conn id " + sa.connId);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": responding to peer config from "
                + Ipv4.format(sa.peerAddress) + ". ID = " + m.mid());
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": sending packet to "
                + Ipv4.format(sa.peerAddress) + " my_port " + sa.localPort + " peer_port " + sa.peerPort
                + " (R) CONF_ADDR");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": deleting node " + m.mid()
                + " error FALSE reason \"\"");
        done(engine, sa, now);
    }

    /** {@code client configuration address initiate}: push everything the group has. */
    static void initiate(IkeEngine engine, IkeSa sa, long now) {
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": attributes sent in message:");
        ClientConfig config = configFor(engine, sa, true, now);
        if (config == null) {
            return;
        }
        List<DataAttribute> set = ModeConfigAttributes.encode(config, null);
        logSent(engine, sa, set, null);
        int mid = Transaction.sendRequest(engine, sa, TransactionState.Kind.MODECFG_SET, ConfigType.ISAKMP_CFG_SET,
                0, set, now);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP: set new node " + mid + " to CONF_ADDR");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": initiating peer config to "
                + Ipv4.format(sa.peerAddress) + ". ID = " + mid);
    }

    static void onAck(IkeEngine engine, IkeSa sa, Transaction.Message m, long now) {
        sa.tx.answered(engine.driver, sa);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": peer accepted the address! (Mode Config ACK)");
        done(engine, sa, now);
    }

    private static void done(IkeEngine engine, IkeSa sa, long now) {
        sa.modeConfigDone = true;
        SessionAccounting.start(engine, sa, now);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Input = IKE_MSG_FROM_AAA, IKE_AAA_GROUP_ATTR");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag()
                + ": Old State = IKE_CONFIG_AUTHOR_AAA_AWAIT New State = IKE_P1_COMPLETE");
        engine.stateChange(sa, IkeSa.State.IKE_P1_COMPLETE, "IKE_MSG_INTERNAL, IKE_PHASE1_COMPLETE");
    }

    /**
     * The client's settings: its group's attributes and, when asked for, an address from the pool (the same one on
     * a repeated request). Null when the client is refused; the SA has then been deleted.
     */
    private static ClientConfig configFor(IkeEngine engine, IkeSa sa, boolean wantsAddress, long now) {
        RemoteAccessSession ra = sa.ra;
        String refusal = engine.remoteAccess.admit(sa);
        if (refusal != null) {
            engine.remoteAccess.fail(sa, NegotiationFailure.POLICY, refusal, true, now);
            return null;
        }
        ClientGroup group = RemoteAccess.groupOf(engine, ra);
        if (group == null) {
            return new ClientConfig(0, 0, List.of(), List.of(), null, List.of(), List.of(), null, false, false,
                    false, List.of(), 0, engine.policy.applicationVersion());
        }
        dev.vpnrouter.policy.UserAuthorization.Assignment assignment = wantsAddress && ra.address == 0
                ? ra.authorization.assign(group.pool(), engine.remoteAccess.poolsView())
                : new dev.vpnrouter.policy.UserAuthorization.Assignment.NoAddress();
        if (assignment instanceof dev.vpnrouter.policy.UserAuthorization.Assignment.Refused r) {
            engine.remoteAccess.fail(sa, NegotiationFailure.POLICY, "Mode Config: client "
                    + Ipv4.format(sa.peerAddress) + " refused: " + r.why(), true, now);
            return null;
        }
        if (assignment instanceof dev.vpnrouter.policy.UserAuthorization.Assignment.FromPool(String poolName,
                int framed)) {
            AddressPool pool = engine.remoteAccess.pool(poolName);
            if (pool == null) {
                engine.remoteAccess.fail(sa, NegotiationFailure.POLICY, "Mode Config: group " + group.name() + " names pool " + poolName
                        + ", which is not configured", true, now);
                return null;
            }
            int address = framed != 0 ? pool.claim(framed, ra.owner(sa)) : pool.allocate(ra.owner(sa));
            if (address == 0) {
                engine.remoteAccess.fail(sa, NegotiationFailure.POOL_EXHAUSTED, "Mode Config: address pool " + pool.name() + " is exhausted ("
                        + pool.size() + " addresses in use), client " + Ipv4.format(sa.peerAddress) + " refused",
                        true, now);
                return null;
            }
            ra.poolName = pool.name();
            ra.address = address;
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": allocating address " + Ipv4.format(address));
        }
        long expiry = sa.expiresAtMillis == Long.MAX_VALUE ? 0 : Math.max(1, (sa.expiresAtMillis - now) / 1000);
        // The user's own attributes from its server's Accept win over the group's (UserAuthorization says which).
        dev.vpnrouter.policy.UserAuthorization user = ra.authorization;
        return new ClientConfig(ra.address, group.netmask(), user.dns(group.dns()), user.wins(group.wins()),
                user.domain(group.domain()), group.splitNetworks(), group.splitDns(), group.banner(),
                user.savePassword(group.savePassword()), user.includeLocalLan(group.includeLocalLan()), group.pfs(),
                group.backupGateways(), expiry, engine.policy.applicationVersion());
    }

    /** IOS's "Sending ..." lines, and "Unknown Attr" for what was asked and is not answered. */
    private static void logSent(IkeEngine engine, IkeSa sa, List<DataAttribute> sent, Set<Integer> requested) {
        if (!engine.debug()) {
            return;
        }
        for (DataAttribute a : sent) {
            byte[] v = a.value();
            String line = switch (a.type()) {
                case ConfigAttribute.INTERNAL_IP4_ADDRESS -> "Sending private address: " + Ipv4.format(
                        Ipv4.fromBytes(v, 0));
                case ConfigAttribute.INTERNAL_IP4_NETMASK -> "Sending subnet mask: " + Ipv4.format(
                        Ipv4.fromBytes(v, 0));
                case ConfigAttribute.INTERNAL_IP4_DNS -> "Sending IP4_DNS server address: " + Ipv4.format(
                        Ipv4.fromBytes(v, 0));
                case ConfigAttribute.INTERNAL_IP4_NBNS -> "Sending IP4_NBNS server address: " + Ipv4.format(
                        Ipv4.fromBytes(v, 0));
                case ConfigAttribute.INTERNAL_ADDRESS_EXPIRY -> "Sending ADDRESS_EXPIRY seconds left to use the "
                        + "address: " + a.unsigned().orElse(0);
                case ConfigAttribute.UNITY_DEF_DOMAIN -> "Sending DEFAULT_DOMAIN default domain name: " + a.text();
                case ConfigAttribute.APPLICATION_VERSION -> "Sending APPLICATION_VERSION string: " + a.text();
                case ConfigAttribute.UNITY_SPLIT_INCLUDE -> {
                    StringBuilder sb = new StringBuilder("Sending split include");
                    for (var s : ModeConfigAttributes.splitNetworks(v)) {
                        sb.append(" network ").append(Ipv4.format(s.address())).append(" mask ")
                                .append(Ipv4.format(s.mask()));
                    }
                    yield sb.append(" protocol 0, src port 0, dst port 0").toString();
                }
                default -> "Sending " + ModeConfigAttributes.iosName(a.type()) + " attribute";
            };
            engine.debug(DebugCategory.ISAKMP, "ISAKMP: " + line);
        }
        if (requested != null) {
            // What we know but the group does not set goes unanswered without a line, as on IOS.
            for (int type : requested) {
                if (sent.stream().noneMatch(a -> a.type() == type) && !ModeConfigAttributes.SUPPORTED.contains(type)) {
                    engine.debug(DebugCategory.ISAKMP, "ISAKMP (0/" + sa.connId + "): Unknown Attr: "
                            + ModeConfigAttributes.iosName(type));
                }
            }
        }
    }
}
