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
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * One SSH shell on a vty line: a character terminal ({@link LineEditor}) in front of an {@link ExecSession}. The
 * session runs on the engine's thread ({@link EngineThread}); this class only moves bytes. Debug lines for
 * {@code terminal monitor} go through a bounded queue, so a slow terminal never holds up the engine (lines past
 * the bound are dropped, as a router drops log messages it cannot send).
 */
final class VtyShell implements Command {
    static final int MONITOR_QUEUE = 1024;

    private final ExecHub hub;
    private final EngineThread engine;
    private final VtyLogin.Granted login;
    private InputStream in;
    private OutputStream out;
    private ExitCallback exit;
    private ExecSession session;
    private Thread reader;
    private Thread monitorWriter;
    private final BlockingQueue<String> monitor = new ArrayBlockingQueue<>(MONITOR_QUEUE);
    private volatile boolean running = true;
    private final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
    /** When the user last typed: {@code exec-timeout} closes the session after that long without input. */
    private volatile long lastInputMillis = System.currentTimeMillis();
    /** When the router last wrote to the line: {@code session-timeout ... output} counts it as traffic. */
    private volatile long lastOutputMillis = System.currentTimeMillis();
    private Thread idleWatch;

    VtyShell(ExecHub hub, EngineThread engine, VtyLogin.Granted login) {
        this.hub = hub;
        this.engine = engine;
        this.login = login;
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        String location = location(channel.getSession().getClientAddress());
        session = engine.call(() -> hub.openVty(login.user(), login.privilege(), location,
                System.currentTimeMillis()));
        if (session == null) {
            write("% All vty lines are in use\n");
            exit.onExit(1, "no free vty line");
            return;
        }
        session.onMonitor(line -> monitor.offer(line));
        // clear line runs on the router's loop: the hang-up goes to a thread of its own.
        session.onClose(() -> Thread.ofVirtual().start(this::finish));
        org.apache.sshd.common.session.Session ssh = channel.getSession();
        session.ssh(new dev.vpnrouter.cli.ExecSession.SshConnection("2.0",
                ssh.getNegotiatedKexParameter(org.apache.sshd.common.kex.KexProposalOption.C2SENC),
                ssh.getNegotiatedKexParameter(org.apache.sshd.common.kex.KexProposalOption.S2CENC),
                ssh.getNegotiatedKexParameter(org.apache.sshd.common.kex.KexProposalOption.C2SMAC),
                ssh.getNegotiatedKexParameter(org.apache.sshd.common.kex.KexProposalOption.S2CMAC)));
        java.util.Optional<dev.vpnrouter.config.model.LineBlock> vty = engine.call(() -> hub.config().lines().stream()
                .filter(l -> l.kind() == dev.vpnrouter.config.model.LineBlock.Kind.VTY).findFirst());
        long execTimeout = vty.flatMap(dev.vpnrouter.config.model.LineBlock::execTimeout)
                .orElse(dev.vpnrouter.config.model.LineBlock.DEFAULT_EXEC_TIMEOUT).millis();
        java.util.Optional<dev.vpnrouter.config.model.LineBlock.SessionTimeout> sessionTimeout = vty.flatMap(
                dev.vpnrouter.config.model.LineBlock::sessionTimeout).filter(t -> t.minutes() > 0);
        if (execTimeout > 0 || sessionTimeout.isPresent()) {
            idleWatch = Thread.ofVirtual().name("vty-idle-" + session.lineIndex()).start(() -> watchIdle(execTimeout,
                    sessionTimeout.orElse(null)));
        }
        reader = Thread.ofVirtual().name("vty-" + session.lineIndex()).start(this::readLoop);
        monitorWriter = Thread.ofVirtual().name("vty-monitor-" + session.lineIndex()).start(this::monitorLoop);
    }

    private static String location(SocketAddress a) {
        return a instanceof InetSocketAddress i && i.getAddress() != null ? i.getAddress().getHostAddress()
                : String.valueOf(a);
    }

    private void readLoop() {
        LineEditor editor = new LineEditor();
        try {
            write("\n" + prompt());
            int b;
            while (running && (b = in.read()) >= 0) {
                lastInputMillis = System.currentTimeMillis();
                boolean echo = !engine.call(session::awaitingPassword);
                switch (editor.feed(b, echo)) {
                    case LineEditor.Event.Echo e -> write(e.text());
                    case LineEditor.Event.Submit s -> {
                        write("\n");
                        // The command runs on the router's loop; its | filter here, off it.
                        String result = engine.call(() -> session.execute(s.line(), System.currentTimeMillis(),
                                session.prompt().length(), true)).text();
                        write(result);
                        if (engine.call(session::closed)) {
                            break;
                        }
                        write(prompt());
                    }
                    case LineEditor.Event.Help h -> {
                        write("?\n" + engine.call(() -> session.help(h.partial())) + prompt() + h.partial());
                    }
                    case LineEditor.Event.Complete c -> {
                        String done = engine.call(() -> session.complete(c.partial()));
                        if (!done.equals(c.partial())) {
                            editor.replace(done);
                            write("\r\033[K" + prompt() + done);
                        }
                    }
                    case LineEditor.Event.Abandon a -> {
                        engine.call(() -> {
                            session.interrupt();
                            return null;
                        });
                        write("^Z\n" + prompt());
                    }
                    case LineEditor.Event.Eof e -> {
                        running = false;
                    }
                    case LineEditor.Event.None n -> { }
                }
                if (engine.call(session::closed)) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // The connection went away (or the engine stopped answering): end the session below.
        } finally {
            finish();
        }
    }

    /**
     * {@code exec-timeout} (nothing typed for {@code execMillis}; 0: never) and {@code session-timeout} (nothing
     * typed, or with {@code output} nothing written either, for its minutes): whichever comes first ends the
     * session.
     */
    private void watchIdle(long execMillis, dev.vpnrouter.config.model.LineBlock.SessionTimeout session) {
        try {
            while (running) {
                long wait = untilIdleEnd(System.currentTimeMillis(), lastInputMillis, lastOutputMillis, execMillis,
                        session);
                if (wait <= 0) {
                    write("\n");
                    finish();
                    return;
                }
                Thread.sleep(wait);
            }
        } catch (InterruptedException | IOException e) {
            // closing
        }
    }

    /** Milliseconds until the first of the two timeouts ends the session (0 or less: now). */
    static long untilIdleEnd(long now, long lastInput, long lastOutput, long execMillis,
            dev.vpnrouter.config.model.LineBlock.SessionTimeout session) {
        long wait = Long.MAX_VALUE;
        if (execMillis > 0) {
            wait = execMillis - (now - lastInput);
        }
        if (session != null) {
            long since = session.output() ? Math.max(lastInput, lastOutput) : lastInput;
            wait = Math.min(wait, session.millis() - (now - since));
        }
        return wait;
    }

    private String prompt() {
        return engine.call(session::prompt);
    }

    private void monitorLoop() {
        try {
            while (running) {
                String line = monitor.take();
                write(line + "\n");
            }
        } catch (InterruptedException | IOException e) {
            // closing
        }
    }

    private void write(String text) throws IOException {
        byte[] bytes = text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            out.write(bytes);
            out.flush();
        }
        lastOutputMillis = System.currentTimeMillis();
    }

    /** Ends the exec session on the engine's thread (it leaves show users); the engine may already be gone. */
    private void closeSession() {
        if (session == null) {
            return;
        }
        try {
            engine.call(() -> {
                session.close();
                return null;
            });
        } catch (RuntimeException e) {
            // the engine is gone: nothing to close there
        }
    }

    private void finish() {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        running = false;
        if (idleWatch != null) {
            idleWatch.interrupt();
        }
        closeSession();
        if (monitorWriter != null) {
            monitorWriter.interrupt();
        }
        exit.onExit(0);
    }

    @Override
    public void destroy(ChannelSession channel) {
        running = false;
        if (reader != null) {
            reader.interrupt();
        }
        if (monitorWriter != null) {
            monitorWriter.interrupt();
        }
        if (idleWatch != null) {
            idleWatch.interrupt();
        }
        closeSession();
    }
}
