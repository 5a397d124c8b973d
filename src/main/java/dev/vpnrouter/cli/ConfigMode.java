package dev.vpnrouter.cli;

import dev.vpnrouter.config.ConfigHelp;
import dev.vpnrouter.config.ConfigWriter;
import dev.vpnrouter.config.Diagnostic;
import dev.vpnrouter.config.IosParser;
import dev.vpnrouter.config.Mode;
import dev.vpnrouter.config.ParseResult;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.config.syntax.CommandTree;
import dev.vpnrouter.config.syntax.Help;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code configure terminal} for one session: each line is checked against the configuration language in the
 * context of what came before (the running configuration as {@code show running-config} writes it, then the
 * lines typed since), rejected with IOS's message when it does not parse, else applied at once: the whole text is
 * parsed again and handed to {@link RouterControl#reconfigure}. The mode, and its name in the prompt, are where the
 * parser stands after the line: the grammar declares them with the commands that open blocks.
 */
final class ConfigMode {
    private final String base;
    private final int baseLines;
    private final List<String> typed = new ArrayList<>();
    private Mode mode = Mode.GLOBAL;
    private String prompt = Mode.GLOBAL.prompt();

    ConfigMode(RouterConfig running) {
        String text = ConfigWriter.write(running);
        if (text.endsWith("end\n")) {
            text = text.substring(0, text.length() - 4);
        }
        // The running configuration may end inside a block (line vty ...): typed lines start at global level.
        if (IosParser.parse(text).endMode() != Mode.GLOBAL) {
            text += "exit\n";
        }
        this.base = text;
        this.baseLines = (int) text.chars().filter(c -> c == '\n').count();
    }

    /** The mode's name in the prompt: {@code config}, {@code config-isakmp}, {@code config-router}... */
    String prompt() {
        return prompt;
    }

    /** {@code ?} after {@code partial}, from the grammar of the current mode. */
    Help help(String partial) {
        return ConfigHelp.help(mode, partial);
    }

    /** {@code exit}: back to global level; false when already there (configuration mode ends). */
    boolean exit() {
        if (mode == Mode.GLOBAL) {
            return false;
        }
        typed.add("exit");
        mode = Mode.GLOBAL;
        prompt = mode.prompt();
        return true;
    }

    /**
     * Checks and applies one line; returns what to print (IOS's message, with the caret under the input for invalid
     * input: {@code caretOffset} is the prompt's width).
     */
    String line(String input, RouterControl control, long now, int caretOffset) {
        String line = input.strip();
        if (line.isEmpty() || line.startsWith("!")) {
            return "";
        }
        if (mode == Mode.OUT_OF_SCOPE && !parsesAlone(line)) {
            // Kept as the block's body, indented as show running-config writes it (a pasted block loses nothing).
            typed.add(" " + line);
            control.reconfigure(IosParser.parse(text("")).config(), now);
            return "";
        }
        ParseResult parsed = IosParser.parse(text(line));
        int lineNo = baseLines + typed.size() + 1;
        for (Diagnostic d : parsed.diagnostics()) {
            if (d.isError() && d.line() == lineNo) {
                int column = Math.max(0, d.column() - 1) + input.indexOf(line.charAt(0));
                return CommandTree.report(d.message(), caretOffset + column);
            }
        }
        typed.add(line);
        control.reconfigure(parsed.config(), now);
        mode = parsed.endMode();
        prompt = parsed.endPrompt();
        return "";
    }

    /** The typed text so far, then {@code extra} (nothing when empty). */
    private String text(String extra) {
        StringBuilder sb = new StringBuilder(base);
        for (String t : typed) {
            sb.append(t).append('\n');
        }
        return extra.isEmpty() ? sb.toString() : sb.append(extra).append('\n').toString();
    }

    /** Whether {@code line} is a global command by itself. */
    private boolean parsesAlone(String line) {
        ParseResult alone = IosParser.parse(base + line + "\n");
        return alone.diagnostics().stream().noneMatch(d -> d.isError() && d.line() == baseLines + 1);
    }
}
