package dev.vpnrouter.cli.remote;

/**
 * The local control socket's line protocol between {@code vpnrouter console} and the running router, one message
 * per line (UTF-8). The client sends {@code X LINE} (run), {@code H PARTIAL} ({@code ?}), {@code C PARTIAL} (tab).
 * The router answers with {@code O TEXT} lines (output), {@code C LINE} (the completed line), and ends every
 * answer with {@code E} + {@code N} or {@code P} (echo normally, or a password follows) + the prompt. At any time
 * it may send {@code M TEXT} (a debug or log line for the console) and {@code Q} (the session ended).
 */
public final class ConsoleProtocol {
    private ConsoleProtocol() {
    }

    public static final char RUN = 'X';
    public static final char HELP = 'H';
    public static final char COMPLETE = 'C';
    public static final char OUTPUT = 'O';
    public static final char END = 'E';
    public static final char MONITOR = 'M';
    public static final char QUIT = 'Q';

    /** One message: its kind and text ("" when none). */
    public record Message(char kind, String text) {
        public static Message parse(String line) {
            if (line.isEmpty()) {
                return new Message('?', "");
            }
            return new Message(line.charAt(0), line.length() > 2 ? line.substring(2) : "");
        }

        public String encode() {
            return kind + " " + text.replace("\r", "").replace("\n", " ") + "\n";
        }
    }
}
