package dev.vpnrouter.radius;

import dev.vpnrouter.policy.LoginMethods;
import dev.vpnrouter.config.RadiusGroups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Logins through the configuration's RADIUS groups, for a caller that may wait (an SSH login thread, never the
 * router's loop): an Access-Request with User-Name, User-Password, NAS-IP-Address, NAS-Port-Type Virtual and
 * Calling-Station-Id; Access-Accept is a PASS, Access-Reject (or a challenge, which a vty password prompt cannot
 * answer) a FAIL, no server answering an ERROR so the method list moves on. One {@link RadiusTransport} per group,
 * made when first asked and replaced when the configuration changes it.
 */
public final class RadiusLogins implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RadiusLogins.class);

    private RadiusGroups groups;
    private final Map<String, RadiusTransport> transports = new HashMap<>();

    public RadiusLogins(RadiusGroups groups) {
        this.groups = groups;
    }

    /** The configuration's groups now; transports of a changed configuration are closed and made again. */
    public synchronized void update(RadiusGroups now) {
        if (!now.equals(groups)) {
            closeTransports();
            groups = now;
        }
    }

    /** What {@code group} says of {@code user}/{@code password} from {@code callingStation}. */
    public LoginMethods.Result login(String group, String user, String password, int nasAddress,
            String callingStation) {
        RadiusTransport transport;
        long bound;
        synchronized (this) {
            RadiusGroups.Group g = groups.group(group).orElse(null);
            if (g == null || g.servers().isEmpty()) {
                LOG.warn("login of {}: RADIUS group {} has no server to ask", user, group);
                return LoginMethods.Result.ERROR;
            }
            try {
                transport = transport(g);
            } catch (IOException e) {
                LOG.warn("RADIUS group {}: no socket: {}", group, e.toString());
                return LoginMethods.Result.ERROR;
            }
            // Every server, every retransmission, and a second more: the client always ends by then.
            bound = groups.timeoutMillis() * (groups.retransmits() + 1L) * g.servers().size() + 1_000;
        }
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        if (secret.length > RadiusPacket.MAX_PASSWORD) {
            return LoginMethods.Result.FAIL;
        }
        List<Attribute> attributes = new ArrayList<>(List.of(Attribute.text(Attribute.USER_NAME, user),
                Attribute.ipv4(Attribute.NAS_IP_ADDRESS, nasAddress),
                Attribute.integer(Attribute.NAS_PORT_TYPE, Attribute.NAS_PORT_TYPE_VIRTUAL),
                Attribute.text(Attribute.CALLING_STATION_ID, callingStation)));
        RadiusClient.Outcome outcome;
        try {
            outcome = transport.submit(RadiusClient.Request.access(attributes, secret)).get(bound,
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return LoginMethods.Result.ERROR;
        } catch (ExecutionException | TimeoutException e) {
            return LoginMethods.Result.ERROR;
        }
        return switch (outcome) {
            case RadiusClient.Outcome.NoAnswer n -> {
                LOG.warn("login of {}: {}", user, n.why());
                yield LoginMethods.Result.ERROR;
            }
            case RadiusClient.Outcome.Answered a -> a.response().code() == RadiusPacket.ACCESS_ACCEPT
                    ? LoginMethods.Result.PASS : LoginMethods.Result.FAIL;
        };
    }

    private RadiusTransport transport(RadiusGroups.Group g) throws IOException {
        RadiusTransport t = transports.get(g.name());
        if (t == null) {
            List<RadiusClient.Server> servers = g.servers().stream().map(s -> new RadiusClient.Server(s.name(),
                    s.address(), s.authPort(), s.key().getBytes(StandardCharsets.UTF_8))).toList();
            t = new RadiusTransport(new RadiusClient(servers, new RadiusClient.Settings(groups.timeoutMillis(),
                    groups.retransmits(), groups.deadtimeMillis(), 256, false), new SecureRandom()),
                    groups.sourceAddress());
            transports.put(g.name(), t);
        }
        return t;
    }

    private void closeTransports() {
        transports.values().forEach(RadiusTransport::close);
        transports.clear();
    }

    @Override
    public synchronized void close() {
        closeTransports();
    }
}
