package dev.vpnrouter.cli.remote;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The client side of the control socket ({@link ConsoleProtocol}): what {@code vpnrouter console} uses to talk to
 * a running router. Requests are answered in order; debug lines arrive on their own and go to the monitor sink.
 */
public final class ConsoleClient implements AutoCloseable {
    /** An answer: the output text, the completed line (for tab), the prompt next, and whether it is a password. */
    public record Answer(String output, String completed, String prompt, boolean password, boolean closed) {
    }

    private static final long ANSWER_TIMEOUT_SECONDS = 30;

    private final SocketChannel channel;
    private final OutputStream out;
    private final BlockingQueue<ConsoleProtocol.Message> answers = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile Consumer<String> monitor = line -> { };

    private ConsoleClient(SocketChannel channel) {
        this.channel = channel;
        this.out = Channels.newOutputStream(channel);
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                StandardCharsets.UTF_8));
        this.reader = Thread.ofPlatform().daemon(true).name("console-reader").start(() -> {
            try {
                String line;
                while ((line = in.readLine()) != null) {
                    ConsoleProtocol.Message m = ConsoleProtocol.Message.parse(line);
                    if (m.kind() == ConsoleProtocol.MONITOR) {
                        monitor.accept(m.text());
                    } else {
                        answers.add(m);
                    }
                }
            } catch (IOException e) {
                // closed
            }
            answers.add(new ConsoleProtocol.Message(ConsoleProtocol.QUIT, ""));
        });
    }

    /** Connects; the first answer (the prompt) is waiting in {@link #greeting()}. */
    public static ConsoleClient connect(Path socket) throws IOException {
        return new ConsoleClient(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
    }

    /** Where debug and log lines go (printed above the line being typed). */
    public void onMonitor(Consumer<String> sink) {
        this.monitor = sink;
    }

    /** The router's first prompt. */
    public Answer greeting() throws IOException {
        return collect();
    }

    public Answer run(String line) throws IOException {
        return request(ConsoleProtocol.RUN, line);
    }

    public Answer help(String partial) throws IOException {
        return request(ConsoleProtocol.HELP, partial);
    }

    public Answer complete(String partial) throws IOException {
        return request(ConsoleProtocol.COMPLETE, partial);
    }

    private Answer request(char kind, String text) throws IOException {
        byte[] b = new ConsoleProtocol.Message(kind, text).encode().getBytes(StandardCharsets.UTF_8);
        out.write(b);
        out.flush();
        return collect();
    }

    private Answer collect() throws IOException {
        StringBuilder output = new StringBuilder();
        String completed = null;
        while (true) {
            ConsoleProtocol.Message m;
            try {
                m = answers.poll(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            if (m == null) {
                throw new IOException("the router did not answer within " + ANSWER_TIMEOUT_SECONDS + " s");
            }
            switch (m.kind()) {
                case ConsoleProtocol.OUTPUT -> output.append(m.text()).append('\n');
                case ConsoleProtocol.COMPLETE -> completed = m.text();
                case ConsoleProtocol.END -> {
                    boolean password = m.text().startsWith("P");
                    return new Answer(output.toString(), completed, m.text().isEmpty() ? "" : m.text().substring(1),
                            password, false);
                }
                case ConsoleProtocol.QUIT -> {
                    return new Answer(output.toString(), completed, "", false, true);
                }
                default -> { }
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
        reader.interrupt();
    }
}
