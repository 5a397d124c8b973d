package dev.vpnrouter.interop;

import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;

/** An interactive SSH shell on a vty line: type, then wait for text to appear on the screen. */
final class VtyTerminal implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(15);

    final ClientSession session;
    final ChannelShell shell;
    final PipedOutputStream keys = new PipedOutputStream();
    final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private int mark;

    /** Opens the shell and waits for the first prompt, which ends in {@code prompt} ("#" or ">"). */
    VtyTerminal(ClientSession session, String prompt) throws IOException, InterruptedException {
        this.session = session;
        this.shell = session.createShellChannel();
        shell.setIn(new PipedInputStream(keys));
        shell.setOut(screen);
        shell.setErr(new ByteArrayOutputStream());
        shell.open().verify(WAIT);
        long deadline = System.currentTimeMillis() + WAIT.toMillis();
        while (!since().contains(prompt) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
    }

    /** Types a line and returns what the screen showed from it until {@code until} appeared. */
    String type(String line, String until) throws Exception {
        synchronized (screen) {
            mark = screen.size();
        }
        keys.write((line + "\r").getBytes(StandardCharsets.US_ASCII));
        keys.flush();
        long deadline = System.currentTimeMillis() + WAIT.toMillis();
        while (System.currentTimeMillis() < deadline) {
            String s = since();
            int echoed = s.indexOf(line + "\r\n");
            if (echoed >= 0 && s.indexOf(until, echoed + line.length()) >= 0) {
                return s;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("\"" + until + "\" did not appear after \"" + line + "\":\n" + since());
    }

    String since() {
        synchronized (screen) {
            return screen.toString(StandardCharsets.UTF_8).substring(mark);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (shell.isOpen()) {
                keys.write("exit\r".getBytes(StandardCharsets.US_ASCII));
                keys.flush();
                shell.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), WAIT);
            }
            shell.close();
        } finally {
            session.close();
        }
    }
}
