package dev.vpnrouter.cli.remote;

import dev.vpnrouter.cli.ExecHub;
import dev.vpnrouter.cli.ExecSession;
import dev.vpnrouter.config.PrivateFiles;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The local console: a Unix domain socket (mode 0600, so only its owner, root on a router, may connect) that
 * {@code vpnrouter console} attaches to. Each connection is a console session speaking {@link ConsoleProtocol}.
 * A stale socket file from a crashed instance is replaced; a live one (something answers on it) is not.
 * The console is privileged at once: besides the file's mode, each peer's credentials ({@code SO_PEERCRED}) must
 * be root's or the router's own user's, so a socket file made reachable by mistake still lets no one else in.
 */
final class ConsoleServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("vpnrouter");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private final ExecHub hub;
    private final EngineThread engine;
    private final Path path;
    private final ServerSocketChannel server;
    /** The users who may attach: root and the user this process runs as (the socket file's owner). */
    private final Set<UserPrincipal> admitted;
    private final Thread acceptor;
    private volatile boolean running = true;

    private ConsoleServer(ExecHub hub, EngineThread engine, Path path, ServerSocketChannel server,
            Set<UserPrincipal> admitted) {
        this.hub = hub;
        this.engine = engine;
        this.path = path;
        this.server = server;
        this.admitted = admitted;
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
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            bindPrivately(server, path.toAbsolutePath());
            Set<UserPrincipal> admitted = new HashSet<>();
            admitted.add(Files.getOwner(path));
            try {
                admitted.add(path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("root"));
            } catch (IOException e) {
                // no user named root here: the owner only
            }
            ConsoleServer c = new ConsoleServer(hub, engine, path, server, Set.copyOf(admitted));
            c.acceptor.start();
            return c;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /**
     * Binds {@code server} to {@code path} without the socket ever being open to others: bind(2) creates the file
     * with the process's umask (0755 for 022), so it is bound inside a fresh 0700 directory next to {@code path},
     * made 0600 there, and renamed into place.
     */
    private static void bindPrivately(ServerSocketChannel server, Path path) throws IOException {
        Path dir = Files.createDirectories(path.getParent());
        Path hidden = Files.createTempDirectory(dir, ".", PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
        Path inside = hidden.resolve("s"); // short: a socket's path is at most 107 bytes
        try {
            server.bind(UnixDomainSocketAddress.of(inside));
            Files.setPosixFilePermissions(inside, PrivateFiles.OWNER_ONLY);
            Files.move(inside, path, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(inside);
            Files.delete(hidden);
        }
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
            UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
            if (!admitted.contains(peer.user())) {
                LOG.warn("vpnrouter: console socket {}: refused user {} (group {}): only {} may attach", path,
                        peer.user().getName(), peer.group().getName(), admittedNames());
                output(out, "% Access denied: this router's console is for " + admittedNames() + " only, not "
                        + peer.user().getName());
                send(out, new ConsoleProtocol.Message(ConsoleProtocol.QUIT, ""));
                return;
            }
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
                            System.currentTimeMillis(), s.prompt().length(), true)).text()); // | filter off the loop
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

    private String admittedNames() {
        return String.join(" and ", admitted.stream().map(UserPrincipal::getName).sorted().distinct().toList());
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
