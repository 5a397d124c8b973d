package dev.vpnrouter.ike;

/** What the engine asks its host to do. The engine itself never touches a socket, a clock or the data plane. */
import java.util.List;

public sealed interface IkeEffect {
    /** Send this datagram (adding the non-ESP marker on port 4500). */
    record Send(Datagram datagram) implements IkeEffect {
    }

    /** Install these ESP SAs in the data plane. */
    record InstallChild(ChildSa child) implements IkeEffect {
    }

    /** Remove these ESP SAs from the data plane. */
    record DeleteChild(ChildSa child, String reason) implements IkeEffect {
    }

    /** An ISAKMP SA finished phase 1 (and Xauth/Mode Config where required). */
    record IkeUp(IkeSaView sa) implements IkeEffect {
    }

    /** An ISAKMP SA went away; {@code wasUp}: it had been established (an {@link IkeUp} was emitted for it). */
    record IkeDown(IkeSaView sa, String reason, boolean wasUp) implements IkeEffect {
    }

    /**
     * Phase-1 keys for an explicitly enabled key log (tshark's {@code ikev1_decryption_table}: initiator cookie,
     * encryption key). Never emitted unless {@link IkeEngine#setKeyLog(boolean)} turned it on.
     */
    record KeyLog(long initiatorCookie, byte[] encryptionKey) implements IkeEffect {
    }

    /**
     * Our VPN client role received its Mode Config from the hub (address, DNS, WINS, domain, split networks,
     * banner...); Quick Mode starts next.
     */
    record ClientConfigured(IkeSaView sa, ClientConfig config) implements IkeEffect {
    }

    /** One of the router's messages ({@code %CRYPTO-5-SESSION_STATUS ...}): the host logs it, debug or not. */
    record Log(dev.vpnrouter.syslog.RouterMessage message) implements IkeEffect {
    }

    /**
     * A negotiation was refused, as data: the peer (0 when refused before any SA existed and the peer is not
     * known), the class of failure and the one-line reason. What reads refusals ({@code check}) reads this.
     */
    record Refused(int peerAddress, NegotiationFailure failure, String reason) implements IkeEffect {
    }

    /**
     * A VPN client's group is not configured here and the profile's {@code isakmp authorization list} asks
     * servers: the host asks them off its loop (group name as User-Name, password {@code cisco}) and answers with
     * {@link IkeEngine#groupAuthorized}; Aggressive Mode waits for it before AM2.
     */
    record AuthorizeGroup(int connId, long ticket, String list, String group, int peerAddress) implements IkeEffect {
    }

    /**
     * Xauth credentials for a login list that asks servers ({@code group radius}): the host checks them off its
     * loop ({@code EnginePolicy.authenticate} with its RADIUS client) and answers with
     * {@link IkeEngine#authenticated}, or {@link IkeEngine#challenged} when a server asks for more (a token's next
     * passcode). {@code answering}: null for a login through {@code list}; else the user's answer ({@code password})
     * to that challenge, which goes back to the challenging group only, with its State. The password is never
     * printed.
     */
    record Authenticate(int connId, long ticket, String list, String user, String password, int peerAddress,
            dev.vpnrouter.policy.LoginChallenge answering) implements IkeEffect {
        @Override
        public String toString() {
            return "Authenticate[connId=" + connId + ", ticket=" + ticket + ", list=" + list
                    + (answering != null ? ", answering " + answering.group() : "") + "]";
        }
    }

    /**
     * A VPN client's accounting record, for {@code list} (an {@code aaa accounting network} list): the host sends
     * it off its loop through the router's one RADIUS client, queued while no server answers, with the counters
     * of {@code children} (the session's IPsec SAs now) and {@code ended} (its IPsec SAs deleted before, whose
     * last counters the host kept when it carried out their {@link DeleteChild}) added for Interim and Stop.
     * {@code cause} only on Stop.
     */
    record Account(Kind kind, String list, String sessionId, String user, int framedAddress, int peerAddress,
            String callingStation, long startedAtMillis, long atMillis, List<ChildSa> children, List<ChildSa> ended,
            Cause cause)
            implements IkeEffect {
        public enum Kind { START, INTERIM, STOP }

        /** RFC 2866 5.10's causes a VPN session ends for. */
        /** ADMIN_REBOOT: the router stopped ({@code run}'s SIGTERM), as IOS says on an operator's reload. */
        public enum Cause { USER_REQUEST, LOST_CARRIER, SESSION_TIMEOUT, ADMIN_RESET, NAS_REQUEST, ADMIN_REBOOT }
    }

    /** A {@code debug crypto isakmp|ipsec} line, in IOS form. */
    record Debug(DebugCategory category, String line) implements IkeEffect {
    }

    enum DebugCategory { ISAKMP, IPSEC, ENGINE }
}
