package dev.vpnrouter.cli.remote;

import dev.vpnrouter.cli.ExecHub;
import dev.vpnrouter.cli.RouterControl;
import dev.vpnrouter.cli.RouterView;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The exec CLI's transports for one router: an SSH server for {@code line vty} (Apache MINA SSHD; password login
 * as {@link VtyLogin} decides it) and the local control socket that {@code vpnrouter console} attaches to. Both
 * hand their sessions to one {@link ExecHub}; feed the engine's debug lines to {@link #hub()}.
 */
public final class ExecServers implements AutoCloseable {
    /** Where to listen; a null {@code controlSocket} or a negative {@code sshPort} leaves that transport off. */
    public record Options(String sshAddress, int sshPort, Path hostKey, Path controlSocket) {
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ExecServers.class);

    private static final AttributeRepository.AttributeKey<VtyLogin.Granted> LOGIN =
            new AttributeRepository.AttributeKey<>();

    private final ExecHub hub;
    private final SshServer ssh;
    private final ConsoleServer console;
    /** vty logins through RADIUS groups, when these servers made their own client (else its owner closes it). */
    private final dev.vpnrouter.radius.RadiusLogins ownRadius;

    private ExecServers(ExecHub hub, SshServer ssh, ConsoleServer console,
            dev.vpnrouter.radius.RadiusLogins ownRadius) {
        this.hub = hub;
        this.ssh = ssh;
        this.console = console;
        this.ownRadius = ownRadius;
    }

    /**
     * Starts the transports over {@code view} and {@code control}, whose methods {@code engine} runs on the
     * engine's thread. Fails with a message naming what could not be bound.
     */
    public static ExecServers start(RouterView view, RouterControl control, EngineThread engine, Options options)
            throws IOException {
        return start(new ExecHub(view, control), engine, options);
    }

    /** As {@link #start(ExecHub, EngineThread, Options, dev.vpnrouter.radius.RadiusLogins)} with a client of its own. */
    public static ExecServers start(ExecHub hub, EngineThread engine, Options options) throws IOException {
        return start(hub, engine, options, null);
    }

    /**
     * Starts the transports; vty logins, {@code show aaa servers} and {@code test aaa} ask {@code shared} (the
     * router's one RADIUS client, which its owner closes), or a client of these servers' own when null.
     */
    public static ExecServers start(ExecHub hub, EngineThread engine, Options options,
            dev.vpnrouter.radius.RadiusLogins shared) throws IOException {
        SshServer ssh = null;
        dev.vpnrouter.radius.RadiusLogins own = shared != null ? null : new dev.vpnrouter.radius.RadiusLogins(
                engine.call(() -> dev.vpnrouter.config.RadiusGroups.of(hub.config())));
        dev.vpnrouter.radius.RadiusLogins radius = shared != null ? shared : own;
        hub.radius(radius);
        if (options.sshPort() >= 0) {
            ssh = SshServer.setUpDefaultServer();
            ssh.setHost(options.sshAddress() == null ? "0.0.0.0" : options.sshAddress());
            ssh.setPort(options.sshPort());
            SimpleGeneratorHostKeyProvider keys = new SimpleGeneratorHostKeyProvider(options.hostKey());
            keys.setAlgorithm("EC");
            ssh.setKeyPairProvider(keys);
            LoginGuard guard = new LoginGuard();
            ssh.setPasswordAuthenticator((user, password, session) -> {
                int source = ipv4(session.getIoSession().getRemoteAddress());
                long now = System.currentTimeMillis();
                var block = engine.call(() -> hub.config().loginBlock());
                String refused = guard.admit(source, password, block, now);
                if (refused != null) {
                    LOG.warn("ssh login of {} from {} refused: {}", dev.vpnrouter.common.Printable.of(user),
                            dev.vpnrouter.common.Ipv4.format(source), refused);
                    return false;
                }
                // The password is hashed here, on the SSH thread, never on the router's loop.
                Optional<VtyLogin.Granted> granted = Optional.empty();
                try {
                    dev.vpnrouter.config.model.RouterConfig config = engine.call(hub::config);
                    radius.update(dev.vpnrouter.config.RadiusGroups.of(config));
                    int nas = ipv4(session.getIoSession().getLocalAddress());
                    String caller = dev.vpnrouter.common.Ipv4.format(source);
                    granted = VtyLogin.check(config, user, password,
                            (group, u, p) -> radius.login(group, u, p, nas, caller));
                    granted.ifPresent(g -> session.setAttribute(LOGIN, g));
                } finally {
                    if (granted.isPresent()) {
                        guard.succeeded(source);
                    } else {
                        guard.failed(source, block, now);
                    }
                }
                return granted.isPresent();
            });
            // line vty's transport input and access-class: checked when the connection arrives, before any login.
            ssh.addSessionListener(new org.apache.sshd.common.session.SessionListener() {
                @Override
                public void sessionCreated(org.apache.sshd.common.session.Session session) {
                    int source = ipv4(session.getIoSession().getRemoteAddress());
                    String refused = engine.call(() -> VtyAccess.refusal(hub.config(), source, "ssh"));
                    if (refused != null) {
                        LOG.warn("ssh connection refused: {}", refused);
                        session.close(true);
                    }
                }
            });
            // Passwords only, as line vty login configures them: no public keys (no ip ssh pubkey-chain here).
            ssh.setPublickeyAuthenticator(org.apache.sshd.server.auth.pubkey.RejectAllPublickeyAuthenticator.INSTANCE);
            ssh.setKeyboardInteractiveAuthenticator(null);
            ssh.setShellFactory(channel -> new VtyShell(hub, engine, channel.getSession().getAttribute(LOGIN)));
            ssh.setCommandFactory((channel, command) -> new VtyExec(hub, engine,
                    channel.getSession().getAttribute(LOGIN), command));
            try {
                ssh.start();
            } catch (BindException e) {
                throw new IOException("cannot listen for SSH on " + ssh.getHost() + " port " + options.sshPort()
                        + ": " + e.getMessage(), e);
            }
        }
        ConsoleServer console = null;
        if (options.controlSocket() != null) {
            try {
                console = ConsoleServer.start(hub, engine, options.controlSocket());
            } catch (IOException e) {
                if (ssh != null) {
                    ssh.stop(true);
                }
                if (own != null) {
                    own.close();
                }
                throw e;
            }
        }
        return new ExecServers(hub, ssh, console, own);
    }

    /** An IPv4 peer's address as an int, 0 for anything else. */
    private static int ipv4(java.net.SocketAddress address) {
        return address instanceof java.net.InetSocketAddress i && i.getAddress() instanceof java.net.Inet4Address v4
                ? dev.vpnrouter.common.Ipv4.fromBytes(v4.getAddress(), 0) : 0;
    }

    public ExecHub hub() {
        return hub;
    }

    /** The SSH port bound (useful when asked for port 0), or -1 when SSH is off. */
    public int sshPort() {
        return ssh == null ? -1 : ssh.getPort();
    }

    /** One line for the log: where the CLI listens. */
    public String summary() {
        StringBuilder sb = new StringBuilder("vpnrouter: exec CLI");
        if (ssh != null) {
            sb.append(" on ssh ").append(ssh.getHost()).append(':').append(ssh.getPort());
        }
        if (console != null) {
            sb.append(ssh != null ? " and" : "").append(" console socket ").append(console.path());
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        try {
            if (ssh != null) {
                ssh.stop(true);
            }
        } finally {
            if (ownRadius != null) {
                ownRadius.close();
            }
            if (console != null) {
                console.close();
            }
        }
    }
}
