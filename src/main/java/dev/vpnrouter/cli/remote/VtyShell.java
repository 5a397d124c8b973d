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
        long timeout = engine.call(() -> hub.config().lines().stream()
                .filter(l -> l.kind() == dev.vpnrouter.config.model.LineBlock.Kind.VTY).findFirst()
                .flatMap(dev.vpnrouter.config.model.LineBlock::execTimeout)
                .orElse(dev.vpnrouter.config.model.LineBlock.DEFAULT_EXEC_TIMEOUT).millis());
        if (timeout > 0) {
            idleWatch = Thread.ofVirtual().name("vty-idle-" + session.lineIndex()).start(() -> watchIdle(timeout));
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

    /** {@code exec-timeout}: ends the session once nothing was typed for {@code timeoutMillis}. */
    private void watchIdle(long timeoutMillis) {
        try {
            while (running) {
                long idle = System.currentTimeMillis() - lastInputMillis;
                if (idle >= timeoutMillis) {
                    write("\n");
                    finish();
                    return;
                }
                Thread.sleep(timeoutMillis - idle);
            }
        } catch (InterruptedException | IOException e) {
            // closing
        }
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
