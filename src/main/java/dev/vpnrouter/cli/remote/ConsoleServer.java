package dev.vpnrouter.cli.remote;

import dev.vpnrouter.cli.ExecHub;
import dev.vpnrouter.cli.ExecSession;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The local console: a Unix domain socket (mode 0600, so only its owner, root on a router, may connect) that
 * {@code vpnrouter console} attaches to. Each connection is a console session speaking {@link ConsoleProtocol}.
 * A stale socket file from a crashed instance is replaced; a live one (something answers on it) is not.
 */
final class ConsoleServer implements AutoCloseable {
    private final ExecHub hub;
    private final EngineThread engine;
    private final Path path;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private volatile boolean running = true;

    private ConsoleServer(ExecHub hub, EngineThread engine, Path path, ServerSocketChannel server) {
        this.hub = hub;
        this.engine = engine;
        this.path = path;
        this.server = server;
        this.acceptor = Thread.ofPlatform().name("vpnrouter-console").daemon(true).unstarted(this::acceptLoop);
    }

    static ConsoleServer start(ExecHub hub, EngineThread engine, Path path) throws IOException {
        if (Files.exists(path)) {
            try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                throw new IOException("another router already listens on the control socket " + path);
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("another router")) {
                    throw e;
                }
                Files.delete(path); // left behind by an instance that is gone
            }
        }
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: leave the default
        }
        ConsoleServer c = new ConsoleServer(hub, engine, path, server);
        c.acceptor.start();
        return c;
    }

    Path path() {
        return path;
    }

    private void acceptLoop() {
        while (running) {
            try {
                SocketChannel client = server.accept();
                Thread.ofVirtual().name("console-client").start(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(SocketChannel client) {
        ExecSession session = null;
        Thread monitorWriter = null;
        try (client) {
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
                    StandardCharsets.UTF_8));
            OutputStream out = Channels.newOutputStream(client);
            ExecSession s = engine.call(() -> hub.openConsole("control socket", System.currentTimeMillis()));
            session = s;
            BlockingQueue<String> monitor = new ArrayBlockingQueue<>(VtyShell.MONITOR_QUEUE);
            s.onMonitor(monitor::offer);
            monitorWriter = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        send(out, new ConsoleProtocol.Message(ConsoleProtocol.MONITOR, monitor.take()));
                    }
                } catch (InterruptedException | IOException e) {
                    // closing
                }
            });
            end(out, s);
            String line;
            while (running && (line = in.readLine()) != null) {
                ConsoleProtocol.Message m = ConsoleProtocol.Message.parse(line);
                switch (m.kind()) {
                    case ConsoleProtocol.RUN -> output(out, engine.call(() -> s.execute(m.text(),
                            System.currentTimeMillis())));
                    case ConsoleProtocol.HELP -> output(out, engine.call(() -> s.help(m.text())));
                    case ConsoleProtocol.COMPLETE -> send(out, new ConsoleProtocol.Message(ConsoleProtocol.COMPLETE,
                            engine.call(() -> s.complete(m.text()))));
                    default -> output(out, "% Unknown request\n");
                }
                if (engine.call(s::closed)) {
                    send(out, new ConsoleProtocol.Message(ConsoleProtocol.QUIT, ""));
                    return;
                }
                end(out, s);
            }
        } catch (IOException | RuntimeException e) {
            // the client went away, or the engine stopped
        } finally {
            if (monitorWriter != null) {
                monitorWriter.interrupt();
            }
            if (session != null) {
                ExecSession s = session;
                try {
                    engine.call(() -> {
                        s.close();
                        return null;
                    });
                } catch (RuntimeException e) {
                    // the engine is gone
                }
            }
        }
    }

    private void output(OutputStream out, String text) throws IOException {
        if (text.isEmpty()) {
            return;
        }
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        for (String l : body.split("\n", -1)) {
            send(out, new ConsoleProtocol.Message(ConsoleProtocol.OUTPUT, l));
        }
    }

    private void end(OutputStream out, ExecSession s) throws IOException {
        boolean password = engine.call(s::awaitingPassword);
        send(out, new ConsoleProtocol.Message(ConsoleProtocol.END, (password ? "P" : "N") + engine.call(s::prompt)));
    }

    private static void send(OutputStream out, ConsoleProtocol.Message m) throws IOException {
        byte[] b = m.encode().getBytes(StandardCharsets.UTF_8);
        synchronized (out) {
            out.write(b);
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        server.close();
        Files.deleteIfExists(path);
    }
}
