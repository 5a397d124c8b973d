package dev.vpnrouter.cli;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.RadiusGroups;
import dev.vpnrouter.policy.LoginMethods;
import dev.vpnrouter.radius.Attribute;
import dev.vpnrouter.radius.GroupAttributes;
import dev.vpnrouter.radius.RadiusLogins;
import dev.vpnrouter.radius.RadiusPacket;
import dev.vpnrouter.radius.RadiusTransport.ServerState;

import java.util.List;

/**
 * {@code show aaa servers} and {@code test aaa group} as IOS prints them, from the router's one RADIUS client.
 * Only what the client counts is printed: IOS's lines for what vpnrouter does not do (authorization, throttling,
 * quarantine) are left out rather than shown as zeros.
 */
final class AaaShow {
    private AaaShow() {
    }

    /** Each configured server in order: state, dead time, access and accounting counters, dropped answers. */
    static String servers(RadiusGroups groups, List<ServerState> states) {
        List<RadiusGroups.Server> configured = groups.group("radius").map(RadiusGroups.Group::servers)
                .orElse(List.of());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < configured.size(); i++) {
            RadiusGroups.Server s = configured.get(i);
            ServerState st = states.stream().filter(x -> x.name().equals(s.name()) && x.address() == s.address()
                    && x.port() == s.authPort()).findFirst().orElse(null);
            sb.append("RADIUS: id ").append(i + 1).append(", priority ").append(i + 1).append(", host ")
                    .append(Ipv4.format(s.address())).append(", auth-port ").append(s.authPort())
                    .append(", acct-port ").append(s.acctPort()).append('\n');
            if (st == null) {
                sb.append("     State: current UP\n     (not asked yet)\n");
                continue;
            }
            sb.append("     State: current ").append(st.dead() ? "DEAD" : "UP").append('\n');
            sb.append("     Dead: total time ").append(st.deadMillis() / 1000).append("s, count ")
                    .append(st.deadCount()).append('\n');
            sb.append("     Authen: request ").append(st.requests()).append(", timeouts ").append(st.timeouts())
                    .append(", failover ").append(st.failovers()).append(", retransmission ")
                    .append(st.retransmissions()).append('\n');
            sb.append("             Response: accept ").append(st.accepts()).append(", reject ").append(st.rejects())
                    .append(", challenge ").append(st.challenges()).append('\n');
            long authAnswers = st.accepts() + st.rejects() + st.challenges();
            sb.append("             Transaction: success ").append(authAnswers).append(", failure ")
                    .append(st.timeouts()).append('\n');
            sb.append("     Account: request ").append(st.accountingRequests()).append(", timeouts ")
                    .append(st.accountingTimeouts()).append(", failover ").append(st.accountingFailovers())
                    .append(", retransmission ").append(st.accountingRetransmissions()).append('\n');
            sb.append("             Transaction: success ").append(st.accountingResponses()).append(", failure ")
                    .append(st.accountingTimeouts()).append('\n');
            sb.append("     Dropped: unexpected ").append(st.unexpected()).append(", incorrect ")
                    .append(st.badAuthenticators()).append(", malformed ").append(st.malformed()).append('\n');
        }
        return sb.toString();
    }

    /** {@code test aaa group G USER PASS new-code}'s report of {@code verdict}. */
    static String test(String user, RadiusLogins.Verdict verdict) {
        if (verdict.result() == LoginMethods.Result.FAIL) {
            return "User rejected\n";
        }
        if (verdict.result() == LoginMethods.Result.ERROR) {
            return "No authoritative response from any server.\n";
        }
        StringBuilder sb = new StringBuilder("User successfully authenticated\n\nUSER ATTRIBUTES\n\n");
        attribute(sb, "username", "\"" + dev.vpnrouter.common.Printable.of(user) + "\"");
        RadiusPacket reply = verdict.reply();
        if (reply != null) {
            dev.vpnrouter.policy.UserAuthorization granted = verdict.authorization(user);
            if (granted.framedAddress() != 0) {
                attribute(sb, "addr", Ipv4.format(granted.framedAddress()));
            }
            if (granted.framedPool() != null) {
                attribute(sb, "addr-pool", "\"" + granted.framedPool() + "\"");
            }
            if (granted.sessionTimeoutSeconds() > 0) {
                attribute(sb, "timeout", Long.toString(granted.sessionTimeoutSeconds()));
            }
            Attribute message = reply.first(Attribute.REPLY_MESSAGE);
            if (message != null) {
                attribute(sb, "reply-message", "\"" + dev.vpnrouter.common.Printable.of(message.asText()) + "\"");
            }
            for (String pair : reply.ciscoAvPairs()) {
                int sep = GroupAttributes.separator(pair);
                int colon = pair.indexOf(':');
                if (sep > colon + 1) {
                    String name = pair.substring(colon + 1, sep);
                    // A group key never reaches a terminal (or a session log).
                    String value = name.equals("tunnel-password") ? "*****"
                            : dev.vpnrouter.common.Printable.of(pair.substring(sep + 1));
                    attribute(sb, name, "\"" + value + "\"");
                }
            }
        }
        return sb.toString();
    }

    private static void attribute(StringBuilder sb, String name, String value) {
        sb.append(String.format("%-20s 0   %s%n", name, value).replace(System.lineSeparator(), "\n"));
    }
}
