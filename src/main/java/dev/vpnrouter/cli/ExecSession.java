package dev.vpnrouter.cli;

import dev.vpnrouter.config.model.Password;
import dev.vpnrouter.config.model.RouterConfig;

import dev.vpnrouter.config.syntax.CommandTree;
import dev.vpnrouter.config.syntax.Help;
import dev.vpnrouter.config.syntax.MatchResult;
import dev.vpnrouter.config.syntax.Token;
import dev.vpnrouter.config.syntax.Tokenizer;

import java.util.List;
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

    /** What a command handler sees: the session and the time; what it prints goes to {@code out}. */
    /**
     * What a command runs with; {@code view} is the live router for commands that act, a {@link ViewSnapshot} for
     * {@code show}, which may run off the engine's thread.
     */
    record Context(ExecSession session, long now, StringBuilder out, RouterView view, List<ExecSession> sessions,
            java.util.Set<dev.vpnrouter.ike.IkeEffect.DebugCategory> debugging) {
        /** A context whose sessions and debug switches are read now, with them: {@code show users} after an exec
         * request's session has closed still lists it. */
        static Context of(ExecSession session, long now, RouterView view) {
            return new Context(session, now, new StringBuilder(), view, session.hub.sessions(),
                    session.hub.debugging());
        }

        void print(String text) {
            out.append(text);
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
    /** The transport's hang-up: {@code clear line} ends the connection, not only the session. */
    private Runnable onClose = () -> { };
    /** The SSH connection behind a vty line ({@code show ssh}), or null. */
    private volatile SshConnection ssh;
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

    /** What the transport does when the session is closed from elsewhere ({@code clear line}). */
    public void onClose(Runnable hangUp) {
        this.onClose = hangUp;
    }

    /** The SSH connection a vty session runs over, as {@code show ssh} lists it. */
    public record SshConnection(String version, String encryptionIn, String encryptionOut, String hmacIn,
            String hmacOut) {
    }

    public void ssh(SshConnection connection) {
        this.ssh = connection;
    }

    SshConnection ssh() {
        return ssh;
    }

    /** IOS numbers lines absolutely: the console is 0, the aux port 1, then the vty lines. */
    int lineNumber() {
        return line == Line.CONSOLE ? lineIndex : 2 + lineIndex;
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
            return hub.view().hostname() + "(" + config.prompt() + ")#";
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
            onClose.run();
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
    public record Output(java.util.function.Supplier<String> producer, java.util.function.UnaryOperator<String> filter) {
        /** The text: the show formatted from its snapshot and filtered, here, on the caller's thread. */
        public String text() {
            String raw = producer.get();
            return filter == null ? raw : filter.apply(raw);
        }

        static Output of(String text) {
            return new Output(() -> text, null);
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
            return configure(input, nowMillis, caretOffset);
        }
        return runExec(input, nowMillis, caretOffset);
    }

    /** A line in configuration mode, and what it printed ({@code do} runs an exec command). */
    private static final class ConfigLine {
        final ExecSession session;
        final long now;
        final int caretOffset;
        Output output = Output.of("");

        ConfigLine(ExecSession session, long now, int caretOffset) {
            this.session = session;
            this.now = now;
            this.caretOffset = caretOffset;
        }
    }

    /** What configuration mode takes besides the configuration language, in every mode. */
    private static final CommandTree<ConfigLine> CONFIG_MODE = new CommandTree<ConfigLine>()
            .define("do LINE:command", (c, a) -> c.output = c.session.runExec(a.text("command"), c.now,
                    c.caretOffset + a.column("command") - 1))
            .define("end", (c, a) -> c.session.leaveConfig(c.now))
            .define("exit", (c, a) -> {
                if (!c.session.config.exit()) {
                    c.session.leaveConfig(c.now);
                }
            })
            .describe("do", "To run exec commands in config mode")
            .describe("end", "Exit from configure mode")
            .describe("exit", "Exit from the current mode");

    private Output configure(String input, long nowMillis, int caretOffset) {
        List<Token> tokens = Tokenizer.tokenize(input);
        MatchResult<ConfigLine> own = CONFIG_MODE.match(input);
        // Only when typed in full: an abbreviation ("e", "ex") is the configuration language's (enable, exception).
        if (!tokens.isEmpty() && CONFIG_MODE.defines(tokens.getFirst().lower())) {
            if (!(own instanceof MatchResult.Matched<ConfigLine> m)) {
                return Output.of(report(own, caretOffset));
            }
            ConfigLine line = new ConfigLine(this, nowMillis, caretOffset);
            m.action().run(line, m.args());
            return line.output;
        }
        return Output.of(config.line(input, hub.control(), nowMillis, caretOffset));
    }

    private Output runExec(String input, long nowMillis, int caretOffset) {
        int bar = input.indexOf('|');
        String command = bar < 0 ? input : input.substring(0, bar);
        if (command.isBlank()) {
            return Output.of(bar < 0 ? "" : CommandTree.report(CommandTree.INVALID, caretOffset + bar));
        }
        MatchResult<Context> m = ExecCommands.TREE.match(command, privilege);
        if (!(m instanceof MatchResult.Matched<Context> ok)) {
            return Output.of(report(m, caretOffset));
        }
        OutputFilter filter = null;
        if (bar >= 0) {
            if (!isShow(ok)) {
                return Output.of(CommandTree.report(CommandTree.INVALID, caretOffset + bar));
            }
            MatchResult<Consumer<OutputFilter.Kind>> pm = ExecCommands.PIPE.match(input.substring(bar + 1), privilege);
            if (!(pm instanceof MatchResult.Matched<Consumer<OutputFilter.Kind>> pipe)) {
                return Output.of(report(pm, caretOffset + bar + 1));
            }
            OutputFilter.Kind[] kind = new OutputFilter.Kind[1];
            pipe.action().run(k -> kind[0] = k, pipe.args());
            String regex = pipe.args().text("regex");
            filter = OutputFilter.of(kind[0], regex);
            if (filter == null) {
                return Output.of("% Invalid regular expression \"" + regex + "\"\n");
            }
        }
        java.util.function.UnaryOperator<String> modifier = filter == null ? null : filter::apply;
        if (isShow(ok) || ok.args().canonical().startsWith("test aaa ")) {
            // Copied here, formatted where the output is read: the engine's thread only copies. test aaa waits for
            // RADIUS servers there too, never on the loop.
            Context context;
            try {
                context = Context.of(this, nowMillis, ViewSnapshot.of(hub.view(), nowMillis,
                        ok.args().canonical().startsWith("show logging")));
            } catch (RuntimeException e) {
                return Output.of("% Internal error: " + e + "\n"); // a broken view, not the user's input
            }
            return new Output(() -> runAction(ok, context), modifier);
        }
        String text = runAction(ok, Context.of(this, nowMillis, hub.view()));
        return new Output(() -> text, modifier);
    }

    private static String runAction(MatchResult.Matched<Context> ok, Context from) {
        // Its own buffer each time: the output of a show may be read more than once.
        Context context = new Context(from.session(), from.now(), new StringBuilder(), from.view(), from.sessions(),
                from.debugging());
        try {
            ok.action().run(context, ok.args());
        } catch (RuntimeException e) {
            // A bug in a command, not the user's input: say so and keep the session.
            return "% Internal error: " + e + "\n";
        }
        return context.out().toString();
    }

    private static boolean isShow(MatchResult.Matched<?> m) {
        return m.args().canonical().startsWith("show ");
    }

    /** A failed match as IOS prints it; {@code caretOffset}: where the matched text starts on the screen. */
    private static String report(MatchResult<?> m, int caretOffset) {
        MatchResult.Failed<?> f = (MatchResult.Failed<?>) m;
        return CommandTree.report(f.message(), caretOffset + f.column() - 1);
    }

    /**
     * {@code ?} typed after {@code partial}: the help text to print. The transport prints it and then the prompt
     * and {@code partial} again, as IOS does.
     */
    public String help(String partial) {
        String doCommand = doCommand(partial);
        if (doCommand != null) {
            return help(doCommand, prompt().length() + partial.length() - doCommand.length());
        }
        if (config != null) {
            return render(configHelp(partial), prompt().length());
        }
        return help(partial, prompt().length());
    }

    private Help configHelp(String partial) {
        return Help.merge(config.help(partial), CONFIG_MODE.help(partial, CommandTree.ALL_LEVELS));
    }

    /** In configuration mode, what follows {@code do }: an exec command; else null. */
    private String doCommand(String partial) {
        if (config == null) {
            return null;
        }
        String stripped = partial.stripLeading();
        return stripped.regionMatches(true, 0, "do ", 0, 3) ? stripped.substring(3) : null;
    }

    private String help(String partial, int caretOffset) {
        int bar = partial.indexOf('|');
        if (bar >= 0) {
            MatchResult<Context> m = ExecCommands.TREE.match(partial.substring(0, bar), privilege);
            if (!(m instanceof MatchResult.Matched<Context> ok) || !isShow(ok)) {
                return CommandTree.report(CommandTree.INVALID, caretOffset + bar);
            }
            return render(ExecCommands.PIPE.help(partial.substring(bar + 1), privilege), caretOffset + bar + 1);
        }
        Help h = ExecCommands.TREE.help(partial, privilege);
        if (h instanceof Help.Next next && endsShowCommand(partial, next)) {
            List<Help.Entry> entries = new java.util.ArrayList<>(next.entries());
            entries.add(entries.size() - 1, new Help.Entry(Help.Entry.Kind.KEYWORD, "|", "Output modifiers"));
            h = new Help.Next(entries);
        }
        return render(h, caretOffset);
    }

    /** A show command may end here: its output modifiers are listed before {@code <cr>}. */
    private boolean endsShowCommand(String partial, Help.Next next) {
        return !next.entries().isEmpty() && next.entries().getLast().kind() == Help.Entry.Kind.CR
                && ExecCommands.TREE.match(partial, privilege) instanceof MatchResult.Matched<Context> m && isShow(m);
    }

    private static String render(Help h, int caretOffset) {
        return switch (h) {
            case Help.Next next -> next.text();
            case Help.Words words -> words.text();
            case Help.Failed f -> CommandTree.report(f.failure().message(), caretOffset + f.failure().column() - 1);
        };
    }

    /** Tab after {@code partial}: the completed line, or {@code partial} unchanged when no single word fits. */
    public String complete(String partial) {
        String doCommand = doCommand(partial);
        if (doCommand != null) {
            return partial.substring(0, partial.length() - doCommand.length()) + completeExec(doCommand);
        }
        if (config != null) {
            String done = CommandTree.completion(partial, configHelp(partial));
            return done == null ? partial : done;
        }
        return completeExec(partial);
    }

    private String completeExec(String partial) {
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
            leaveConfig(lastInputMillis);
        }
    }

    /** Back to exec mode; the router logs %SYS-5-CONFIG_I as IOS does. */
    private void leaveConfig(long nowMillis) {
        config = null;
        hub.configured(this, nowMillis);
    }

    void disable() {
        privilege = 1;
    }

    void monitor(boolean on) {
        monitor = on;
    }
}
