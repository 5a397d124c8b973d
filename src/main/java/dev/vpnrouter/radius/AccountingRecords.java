package dev.vpnrouter.radius;

import java.util.ArrayList;
import java.util.List;

/**
 * The Accounting-Request attributes of a VPN session (RFC 2866, Gigawords of RFC 2869 5.1-5.2), as IOS sends them
 * for {@code aaa accounting network ... start-stop}: Start with the session's identity, Interim-Update and Stop
 * with the counters both ways (octets split into the low 32 bits and the Gigawords above them), Stop with
 * Acct-Terminate-Cause. Pure: the caller adds Acct-Delay-Time when the record finally goes (see
 * {@link AccountingQueue}).
 */
public final class AccountingRecords {
    private AccountingRecords() {
    }

    public static final int STATUS_START = 1;
    public static final int STATUS_STOP = 2;
    public static final int STATUS_INTERIM = 3;

    /** What a session is, for every record of it. */
    public record Session(String sessionId, String user, int framedAddress, String callingStation, int nasAddress) {
    }

    /** The session's traffic so far: octets and packets in (from the client) and out (to it), its age. */
    public record Counters(long inputOctets, long outputOctets, long inputPackets, long outputPackets,
            long sessionSeconds) {
    }

    /** RFC 2866 5.10's causes a VPN session ends for. */
    public enum TerminateCause {
        USER_REQUEST(1), LOST_CARRIER(2), IDLE_TIMEOUT(4), SESSION_TIMEOUT(5), ADMIN_RESET(6), ADMIN_REBOOT(7),
        NAS_ERROR(9),
        NAS_REQUEST(10), NAS_REBOOT(11);

        public final int code;

        TerminateCause(int code) {
            this.code = code;
        }
    }

    public static List<Attribute> start(Session s) {
        return common(STATUS_START, s);
    }

    public static List<Attribute> interim(Session s, Counters c) {
        List<Attribute> out = common(STATUS_INTERIM, s);
        counters(out, c);
        return out;
    }

    public static List<Attribute> stop(Session s, Counters c, TerminateCause cause) {
        List<Attribute> out = common(STATUS_STOP, s);
        counters(out, c);
        out.add(Attribute.integer(Attribute.ACCT_TERMINATE_CAUSE, cause.code));
        return out;
    }

    private static List<Attribute> common(int status, Session s) {
        List<Attribute> out = new ArrayList<>();
        out.add(Attribute.integer(Attribute.ACCT_STATUS_TYPE, status));
        out.add(Attribute.text(Attribute.ACCT_SESSION_ID, s.sessionId()));
        if (s.user() != null) {
            out.add(Attribute.text(Attribute.USER_NAME, s.user()));
        }
        if (s.framedAddress() != 0) {
            out.add(Attribute.ipv4(Attribute.FRAMED_IP_ADDRESS, s.framedAddress()));
        }
        if (s.callingStation() != null) {
            out.add(Attribute.text(Attribute.CALLING_STATION_ID, s.callingStation()));
        }
        out.add(Attribute.ipv4(Attribute.NAS_IP_ADDRESS, s.nasAddress()));
        out.add(Attribute.integer(Attribute.NAS_PORT_TYPE, Attribute.NAS_PORT_TYPE_VIRTUAL));
        return out;
    }

    private static void counters(List<Attribute> out, Counters c) {
        out.add(Attribute.integer(Attribute.ACCT_INPUT_OCTETS, c.inputOctets() & 0xffffffffL));
        out.add(Attribute.integer(Attribute.ACCT_OUTPUT_OCTETS, c.outputOctets() & 0xffffffffL));
        out.add(Attribute.integer(Attribute.ACCT_INPUT_GIGAWORDS, c.inputOctets() >>> 32));
        out.add(Attribute.integer(Attribute.ACCT_OUTPUT_GIGAWORDS, c.outputOctets() >>> 32));
        // Packets have no Gigawords: they wrap at 2^32 (RFC 2866 5.8).
        out.add(Attribute.integer(Attribute.ACCT_INPUT_PACKETS, c.inputPackets() & 0xffffffffL));
        out.add(Attribute.integer(Attribute.ACCT_OUTPUT_PACKETS, c.outputPackets() & 0xffffffffL));
        out.add(Attribute.integer(Attribute.ACCT_SESSION_TIME, c.sessionSeconds() & 0xffffffffL));
    }
}
