package dev.vpnrouter.cli.remote;

import dev.vpnrouter.cli.ExecHub;
import dev.vpnrouter.cli.ExecSession;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * An SSH exec request on a vty line ({@code ssh hub "show crypto isakmp sa"}): the one command runs in an exec
 * session at the privilege the login gives, its output is written, and the channel closes, as IOS does for scripts
 * and automation. There is no terminal, so nothing can prompt: {@code enable} fails unless the login already has
 * the privilege, as on IOS.
 */
final class VtyExec implements Command {
    private final ExecHub hub;
    private final EngineThread engine;
    private final VtyLogin.Granted login;
    private final String command;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;

    VtyExec(ExecHub hub, EngineThread engine, VtyLogin.Granted login, String command) {
        this.hub = hub;
        this.engine = engine;
        this.login = login;
        this.command = command;
    }

    @Override
    public void setInputStream(InputStream in) {
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
        // The command runs off the SSH I/O thread: the engine call may wait for the router's loop.
        Thread.ofVirtual().name("vty-exec").start(() -> run(channel));
    }

    private void run(ChannelSession channel) {
        int status = 1;
        try {
            String location = channel.getSession().getClientAddress() instanceof InetSocketAddress i
                    && i.getAddress() != null ? i.getAddress().getHostAddress() : "?";
            ExecSession.Output result = engine.call(() -> {
                ExecSession session = hub.openVty(login.user(), login.privilege(), location,
                        System.currentTimeMillis());
                if (session == null) {
                    return null;
                }
                try {
                    ExecSession.Output output = session.execute(command.strip(), System.currentTimeMillis(), 0,
                            true);
                    return session.awaitingPassword() ? null : output;
                } finally {
                    session.close();
                }
            });
            if (result == null) {
                write(err, "% This command needs a terminal (or all vty lines are in use)\n");
            } else {
                write(out, result.text()); // the | filter runs here, off the router's loop
                status = 0;
            }
        } catch (IOException | RuntimeException e) {
            // the client went away, or the engine stopped answering
        } finally {
            exit.onExit(status);
        }
    }

    private static void write(OutputStream stream, String text) throws IOException {
        stream.write(text.getBytes(StandardCharsets.UTF_8));
        stream.flush();
    }

    @Override
    public void destroy(ChannelSession channel) {
    }
}
