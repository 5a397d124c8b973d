package dev.vpnrouter.app;

import dev.vpnrouter.cli.remote.ConsoleClient;
import org.jline.keymap.KeyMap;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code vpnrouter console}: the router's console, attached to a running {@code vpnrouter run} through its control
 * socket. On a terminal it edits lines with JLine: {@code ?} shows help at once and Tab completes, as on IOS;
 * with input from a pipe it runs the lines it reads ({@code echo "show crypto isakmp sa" | vpnrouter console}).
 */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = "Attach to a running router's exec CLI through its local control socket.")
final class ConsoleCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "ROUTER",
            description = "the router's hostname (its socket /run/vpnrouter/ROUTER.sock); may be left out when one "
                    + "router runs here")
    String router;

    @Option(names = "--socket", paramLabel = "PATH",
            description = "the router's control socket, where 'run --control-socket' put it")
    Path socket;

    @Override
    public Integer call() throws IOException {
        if (socket == null) {
            try {
                socket = chooseSocket(router, ExecCli.SOCKET_DIRECTORY);
            } catch (IOException e) {
                System.err.println("vpnrouter console: " + e.getMessage());
                return 1;
            }
        }
        ConsoleClient client;
        try {
            client = ConsoleClient.connect(socket);
        } catch (IOException e) {
            System.err.println("vpnrouter console: cannot attach to " + socket + ": " + e.getMessage()
                    + " (is 'vpnrouter run' running, and are you root?)");
            return 1;
        }
        try (client) {
            ConsoleClient.Answer first = client.greeting();
            if (first.closed()) {
                System.err.print(first.output()); // refused (not root or the router's user), or the router stopped
                return 1;
            }
            if (System.console() != null && System.console().isTerminal()) {
                return interactive(client, first);
            }
            return piped(client, first, new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                    System.out);
        }
    }

    /**
     * The socket to attach to without {@code --socket}: the named router's, or the only one in {@code directory}.
     * Several routers (one per network namespace) and no name is a question only the user can answer.
     */
    static Path chooseSocket(String router, Path directory) throws IOException {
        if (router != null) {
            return directory.resolve(ExecCli.socketOf(router).getFileName());
        }
        java.util.List<Path> sockets;
        try (var list = java.nio.file.Files.list(directory)) {
            // A router that died leaves its socket file behind: only sockets something listens on count.
            sockets = list.filter(p -> p.getFileName().toString().endsWith(".sock")).filter(ConsoleCommand::listening)
                    .sorted().toList();
        } catch (java.nio.file.NoSuchFileException e) {
            sockets = java.util.List.of();
        }
        if (sockets.size() == 1) {
            return sockets.getFirst();
        }
        if (sockets.isEmpty()) {
            throw new IOException("no router's control socket in " + directory
                    + " (is 'vpnrouter run' running, and are you root?)");
        }
        throw new IOException("several routers run here: " + String.join(", ", sockets.stream()
                .map(p -> p.getFileName().toString().replaceFirst("\\.sock$", "")).toList())
                + "; name one: vpnrouter console ROUTER");
    }

    private static boolean listening(Path socket) {
        try (var channel = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket))) {
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Lines from a pipe: each one run (a line ending in {@code ?} asks for help), output as the router wrote it. */
    static int piped(ConsoleClient client, ConsoleClient.Answer first, BufferedReader in, PrintStream out)
            throws IOException {
        client.onMonitor(out::println);
        ConsoleClient.Answer a = first;
        String line;
        while (!a.closed() && (line = in.readLine()) != null) {
            out.print(a.prompt());
            out.println(a.password() ? "" : line);
            a = line.endsWith("?") ? client.help(line.substring(0, line.length() - 1)) : client.run(line);
            out.print(a.output());
        }
        out.flush();
        return 0;
    }

    private static int interactive(ConsoleClient client, ConsoleClient.Answer first) throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("vpnrouter").build();
            client.onMonitor(reader::printAbove);
            ConsoleClient.Answer[] state = {first};
            reader.getWidgets().put("ios-help", () -> {
                String partial = reader.getBuffer().toString();
                try {
                    reader.printAbove(state[0].prompt() + partial + "?\n" + client.help(partial).output());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return true;
            });
            reader.getWidgets().put("ios-complete", () -> {
                String partial = reader.getBuffer().toString();
                try {
                    String done = client.complete(partial).completed();
                    if (done != null && !done.equals(partial)) {
                        reader.getBuffer().clear();
                        reader.getBuffer().write(done);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return true;
            });
            reader.getKeyMaps().get(LineReader.MAIN).bind(new Reference("ios-help"), "?");
            reader.getKeyMaps().get(LineReader.MAIN).bind(new Reference("ios-complete"), KeyMap.ctrl('I'));
            while (!state[0].closed()) {
                String line;
                try {
                    line = state[0].password() ? reader.readLine(state[0].prompt(), '\0')
                            : reader.readLine(state[0].prompt());
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    return 0;
                }
                state[0] = client.run(line);
                terminal.writer().print(state[0].output());
                terminal.flush();
            }
            return 0;
        }
    }
}
