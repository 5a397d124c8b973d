package dev.vpnrouter.cli;

import dev.vpnrouter.config.model.Password;
import dev.vpnrouter.config.model.RouterConfig;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One user's exec session, sans-IO: a line in, the output text out ({@code \n} line ends; the transport turns
 * them into what its terminal wants). It keeps the privilege level ({@code enable} with the configuration's
 * {@code enable secret} or {@code enable password}, {@code disable}), {@code terminal monitor}, and answers
 * {@code ?} ({@link #help}) and tab ({@link #complete}).
 *
 * <p>Not thread-safe: the transport calls it on the thread that owns the router's engine (the views it reads
 * belong to that thread).
 */
public final class ExecSession {
    /** The kind of line the session sits on, as {@code show users} names it. */
    public enum Line { CONSOLE, VTY }

    /** What a command handler sees: the session and the time. */
    record Context(ExecSession session, long now) {
        RouterView view() {
            return session.hub.view();
        }

        RouterControl control() {
            return session.hub.control();
        }

        ExecHub hub() {
            return session.hub;
        }
    }

    private static final int ENABLE_TRIES = 3;

    private final ExecHub hub;
    private final Line line;
    private final int lineIndex;
    private final String user;
    private final String location;
    private final long openedAtMillis;
    private int privilege;
    private boolean monitor;
    private boolean closed;
    private int enableTries; // > 0 while the next line is the enable password
    private long lastInputMillis;
    private Consumer<String> monitorSink = line -> { };
    private ConfigMode config; // non-null in configure terminal

    ExecSession(ExecHub hub, Line line, int lineIndex, String user, String location, int privilege, long now) {
        this.hub = hub;
        this.line = line;
        this.lineIndex = lineIndex;
        this.user = user;
        this.location = location;
        this.privilege = privilege;
        this.openedAtMillis = now;
        this.lastInputMillis = now;
        // The console shows log and debug messages without asking (logging console), as on a router.
        this.monitor = line == Line.CONSOLE;
    }

    public Line line() {
        return line;
    }

    public int lineIndex() {
        return lineIndex;
    }

    /** The user name that logged in, or null (line password or console). */
    public String user() {
        return user;
    }

    /** Where the user came from (an address, "console"), as {@code show users} prints it. */
    public String location() {
        return location;
    }

    public int privilege() {
        return privilege;
    }

    public boolean monitor() {
        return monitor;
    }

    public boolean closed() {
        return closed;
    }

    long idleMillis(long now) {
        return Math.max(0, now - lastInputMillis);
    }

    long openedAtMillis() {
        return openedAtMillis;
    }

    /** Where debug and log lines for this session go while {@code terminal monitor} is on (the transport). */
    public void onMonitor(Consumer<String> sink) {
        this.monitorSink = sink;
    }

    void monitorLine(String text) {
        monitorSink.accept(text);
    }

    /** "Hub#", "Hub>", or "Password: " while {@code enable} waits for its password. */
    public String prompt() {
        if (enableTries > 0) {
            return "Password: ";
        }
        if (config != null) {
            return hub.view().hostname() + "(" + config.mode() + ")#";
        }
        return hub.view().hostname() + (privilege >= 15 ? "#" : ">");
    }

    /** True when the next line is a password: the transport must not echo it. */
    public boolean awaitingPassword() {
        return enableTries > 0;
    }

    /** Ends the session ({@code exit}, or the transport lost its connection). */
    public void close() {
        if (!closed) {
            closed = true;
            hub.closed(this);
        }
    }

    /** Runs one line; the caret of an error goes under the input as echoed after {@link #prompt()}. */
    public String execute(String input, long nowMillis) {
        return execute(input, nowMillis, prompt().length());
    }

    /**
     * What a line printed, with its output modifier ({@code | include ...}) not yet run: a host calls
     * {@link #execute(String, long, int, boolean)} on the router's loop and {@link #text()} off it, so no expression
     * can hold the loop (the filter's own work budget bounds it wherever it runs).
     */
    public record Output(String raw, java.util.function.UnaryOperator<String> filter) {
        public String text() {
            return filter == null ? raw : filter.apply(raw);
        }

        static Output of(String text) {
            return new Output(text, null);
        }
    }

    /** As {@link #execute(String, long, int)}, with the output filter left to {@link Output#text()}. */
    public Output execute(String input, long nowMillis, int caretOffset, boolean deferFilter) {
        return deferFilter ? run(input, nowMillis, caretOffset) : Output.of(run(input, nowMillis, caretOffset).text());
    }

    /**
     * Runs one line.
     *
     * @param caretOffset the column the input started at on the user's screen (the prompt's width)
     */
    public String execute(String input, long nowMillis, int caretOffset) {
        return run(input, nowMillis, caretOffset).text();
    }

    private Output run(String input, long nowMillis, int caretOffset) {
        lastInputMillis = nowMillis;
        if (closed) {
            return Output.of("");
        }
        if (enableTries > 0) {
            return Output.of(enablePassword(input));
        }
        if (config != null) {
            String trimmed = input.strip();
            if (trimmed.startsWith("do ")) {
                return runExec(trimmed.substring(3), nowMillis, caretOffset + input.indexOf("do ") + 3);
            }
            ConfigMode.Result r = config.line(input, hub.control(), nowMillis, caretOffset);
            if (r.done()) {
                config = null;
                hub.configured(this, nowMillis);
            }
            return Output.of(r.output());
        }
        return runExec(input, nowMillis, caretOffset);
    }

    private Output runExec(String input, long nowMillis, int caretOffset) {
        int bar = input.indexOf('|');
        String command = bar < 0 ? input : input.substring(0, bar);
        if (command.isBlank()) {
            return Output.of(bar < 0 ? "" : caret(caretOffset + bar) + ExecTree.INVALID + "\n");
        }
        ExecTree.Match<Context> m = ExecCommands.TREE.match(command, privilege);
        OutputFilter filter = null;
        if (m instanceof ExecTree.Match.Ok<Context> ok && bar >= 0) {
            if (!ok.words().getFirst().equals("show")) {
                return Output.of(caret(caretOffset + bar) + ExecTree.INVALID + "\n");
            }
            String pipe = input.substring(bar + 1);
            ExecTree.Match<OutputFilter.Kind> pm = ExecCommands.PIPE.match(pipe, privilege);
            switch (pm) {
                case ExecTree.Match.Ok<OutputFilter.Kind> pok -> {
                    // The pipe tree's actions name the modifier.
                    String kind = pok.action().run(OutputFilter.Kind.INCLUDE, Map.of());
                    filter = OutputFilter.of(OutputFilter.Kind.valueOf(kind), pok.args().get("regex"));
                    if (filter == null) {
                        return Output.of("% Invalid regular expression \"" + pok.args().get("regex") + "\"\n");
                    }
                }
                case ExecTree.Match.Invalid<OutputFilter.Kind> inv -> {
                    return Output.of(caret(caretOffset + bar + 1 + inv.column()) + ExecTree.INVALID + "\n");
                }
                default -> {
                    return Output.of(failure(pm, caretOffset));
                }
            }
        }
        if (!(m instanceof ExecTree.Match.Ok<Context> ok)) {
            return Output.of(failure(m, caretOffset));
        }
        String out;
        try {
            out = ok.action().run(new Context(this, nowMillis), ok.args());
        } catch (RuntimeException e) {
            // A bug in a command, not the user's input: say so and keep the session.
            return Output.of("% Internal error: " + e + "\n");
        }
        return new Output(out, filter == null ? null : filter::apply);
    }

    private static String failure(ExecTree.Match<?> m, int caretOffset) {
        return switch (m) {
            case ExecTree.Match.Invalid<?> inv -> caret(caretOffset + inv.column()) + ExecTree.INVALID + "\n";
            case ExecTree.Match.Ambiguous<?> a -> "% Ambiguous command:  \"" + a.typed() + "\"\n";
            case ExecTree.Match.Incomplete<?> i -> ExecTree.INCOMPLETE + "\n";
            case ExecTree.Match.Ok<?> ok -> "";
        };
    }

    private static String caret(int column) {
        return " ".repeat(Math.max(0, column)) + "^\n";
    }

    /**
     * {@code ?} typed after {@code partial}: the help text to print. The transport prints it and then the prompt
     * and {@code partial} again, as IOS does.
     */
    public String help(String partial) {
        if (config != null && !partial.strip().startsWith("do ")) {
            // The configuration language's own tree has no help texts: say what this mode takes.
            return formatHelp(List.of(new ExecTree.HelpEntry("LINE", "A configuration command, as in the "
                    + "configuration file (crypto ..., username ..., interface ...)"),
                    new ExecTree.HelpEntry("do", "To run exec commands in config mode"),
                    new ExecTree.HelpEntry("end", "Exit from configure mode"),
                    new ExecTree.HelpEntry("exit", "Exit from the current mode")));
        }
        if (config != null) {
            return help(partial.strip().substring(3), prompt().length() + partial.indexOf("do ") + 3);
        }
        return help(partial, prompt().length());
    }

    private String help(String partial, int caretOffset) {
        int bar = partial.indexOf('|');
        ExecTree.Help<?> h;
        int offset = 0;
        if (bar >= 0) {
            ExecTree.Match<Context> m = ExecCommands.TREE.match(partial.substring(0, bar), privilege);
            if (!(m instanceof ExecTree.Match.Ok<Context> ok) || !ok.words().getFirst().equals("show")) {
                return caret(caretOffset + bar) + ExecTree.INVALID + "\n";
            }
            h = ExecCommands.PIPE.help(partial.substring(bar + 1), privilege);
            offset = bar + 1;
        } else {
            h = ExecCommands.TREE.help(partial, privilege);
            if (h instanceof ExecTree.Help.Next<?> next && isShow(partial) && hasCr(next.entries())) {
                List<ExecTree.HelpEntry> entries = new java.util.ArrayList<>(next.entries());
                entries.add(entries.size() - 1, new ExecTree.HelpEntry("|", "Output modifiers"));
                h = new ExecTree.Help.Next<>(entries);
            }
        }
        return switch (h) {
            case ExecTree.Help.Next<?> next -> formatHelp(next.entries());
            case ExecTree.Help.Words<?> words -> String.join("  ", words.words()) + "  \n\n";
            case ExecTree.Help.Failed<?> f -> f.failure() instanceof ExecTree.Match.Invalid<?> inv
                    ? caret(caretOffset + offset + inv.column()) + ExecTree.INVALID + "\n"
                    : failure(f.failure(), caretOffset);
        };
    }

    private boolean isShow(String partial) {
        List<ExecTree.Token> t = ExecTree.tokens(partial);
        return !t.isEmpty() && "show".startsWith(t.getFirst().text().toLowerCase(java.util.Locale.ROOT))
                && t.getFirst().text().length() >= 2;
    }

    private static boolean hasCr(List<ExecTree.HelpEntry> entries) {
        return !entries.isEmpty() && entries.getLast().word().equals("<cr>");
    }

    static String formatHelp(List<ExecTree.HelpEntry> entries) {
        int width = 0;
        for (ExecTree.HelpEntry e : entries) {
            width = Math.max(width, e.word().length());
        }
        StringBuilder sb = new StringBuilder();
        for (ExecTree.HelpEntry e : entries) {
            String line = "  " + e.word() + (e.help().isEmpty() ? "" : " ".repeat(width - e.word().length() + 2)
                    + e.help());
            sb.append(line).append('\n');
        }
        return sb.append('\n').toString();
    }

    /** Tab after {@code partial}: the completed line, or {@code partial} unchanged when no single word fits. */
    public String complete(String partial) {
        if (config != null) {
            return partial;
        }
        int bar = partial.indexOf('|');
        if (bar >= 0) {
            String done = ExecCommands.PIPE.complete(partial.substring(bar + 1), privilege);
            return done == null ? partial : partial.substring(0, bar + 1) + done;
        }
        String done = ExecCommands.TREE.complete(partial, privilege);
        return done == null ? partial : done;
    }

    // ------------------------------------------------------------------ commands that change the session

    String enable() {
        if (privilege >= 15) {
            return "";
        }
        RouterConfig c = hub.view().config();
        if (c.enableSecret().isEmpty() && c.enablePassword().isEmpty()) {
            if (line == Line.CONSOLE) {
                privilege = 15;
                return "";
            }
            return "% No password set\n";
        }
        enableTries = 1;
        return "";
    }

    private String enablePassword(String input) {
        RouterConfig c = hub.view().config();
        // enable secret wins over enable password when both are set, as on IOS.
        Optional<Password> p = c.enableSecret().isPresent() ? c.enableSecret() : c.enablePassword();
        if (p.isPresent() && p.get().matches(input)) {
            enableTries = 0;
            privilege = 15;
            return "";
        }
        if (enableTries >= ENABLE_TRIES) {
            enableTries = 0;
            return "% Bad secrets\n\n";
        }
        enableTries++;
        return "";
    }

    String configure() {
        config = new ConfigMode(hub.view().config());
        return "Enter configuration commands, one per line.  End with CNTL/Z.\n";
    }

    /** True in {@code configure terminal}. */
    public boolean configuring() {
        return config != null;
    }

    /** Ctrl-Z (or Ctrl-C) at the terminal: leaves configuration mode, as IOS's {@code end}. */
    public void interrupt() {
        if (config != null) {
            config = null;
            hub.configured(this, lastInputMillis);
        }
    }

    void disable() {
        privilege = 1;
    }

    void monitor(boolean on) {
        monitor = on;
    }
}
