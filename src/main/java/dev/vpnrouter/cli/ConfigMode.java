package dev.vpnrouter.cli;

import dev.vpnrouter.config.ConfigWriter;
import dev.vpnrouter.config.Diagnostic;
import dev.vpnrouter.config.IosParser;
import dev.vpnrouter.config.ParseResult;
import dev.vpnrouter.config.model.RouterConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code configure terminal} for one session: each line is checked against the configuration language in the
 * context of what came before (the running configuration as {@code show running-config} writes it, then the
 * lines typed since), rejected with the caret when it does not parse, else applied at once: the whole text is
 * parsed again and handed to {@link RouterControl#reconfigure}. The sub-mode in the prompt follows the block the
 * line opened.
 */
final class ConfigMode {
    /** Block openers and the sub-mode IOS names in its prompt. */
    private static final String[][] OPENERS = {
            {"crypto isakmp client configuration group", "config-isakmp-group"},
            {"crypto isakmp policy", "config-isakmp"},
            {"crypto isakmp profile", "conf-isa-prof"},
            {"crypto keyring", "conf-keyring"},
            {"crypto ipsec transform-set", "cfg-crypto-trans"},
            {"crypto dynamic-map", "config-crypto-map"},
            {"crypto map", "config-crypto-map"},
            {"interface", "config-if"},
            {"line", "config-line"},
            {"ip access-list extended", "config-ext-nacl"},
            {"ip access-list standard", "config-std-nacl"},
    };

    private final String base;
    private final int baseLines;
    private final List<String> typed = new ArrayList<>();
    private String mode = "config";

    ConfigMode(RouterConfig running) {
        String text = ConfigWriter.write(running);
        if (text.endsWith("end\n")) {
            text = text.substring(0, text.length() - 4);
        }
        this.base = text;
        this.baseLines = (int) text.chars().filter(c -> c == '\n').count();
    }

    String mode() {
        return mode;
    }

    /** The outcome of one line: what to print, and whether config mode ended. */
    record Result(String output, boolean done) {
    }

    Result line(String input, RouterControl control, long now, int caretOffset) {
        String line = input.strip();
        if (line.isEmpty() || line.startsWith("!")) {
            return new Result("", false);
        }
        String lower = line.toLowerCase(Locale.ROOT);
        if (lower.equals("end")) {
            return new Result("", true);
        }
        if (lower.equals("exit")) {
            if (mode.equals("config")) {
                return new Result("", true);
            }
            typed.add("exit");
            mode = "config";
            return new Result("", false);
        }
        String candidate = text(line);
        ParseResult parsed = IosParser.parse(candidate);
        int lineNo = baseLines + typed.size() + 1;
        for (Diagnostic d : parsed.diagnostics()) {
            if (d.isError() && d.line() == lineNo) {
                int column = Math.max(0, d.column() - 1) + input.indexOf(line.charAt(0));
                return new Result(" ".repeat(caretOffset + column) + "^\n" + ExecTree.INVALID + "\n", false);
            }
        }
        typed.add(line);
        control.reconfigure(parsed.config(), now);
        mode = modeAfter(line);
        return new Result("", false);
    }

    private String text(String extra) {
        StringBuilder sb = new StringBuilder(base);
        for (String t : typed) {
            sb.append(t).append('\n');
        }
        return sb.append(extra).append('\n').toString();
    }

    private String modeAfter(String line) {
        String[] words = line.toLowerCase(Locale.ROOT).split("\\s+");
        for (String[] opener : OPENERS) {
            if (opens(words, opener[0].split(" "))) {
                return opener[1];
            }
        }
        if (mode.equals("config")) {
            return mode;
        }
        // In a sub-mode: a line that is also a global command left the block, as on IOS.
        ParseResult alone = IosParser.parse(base + line + "\n");
        boolean global = alone.diagnostics().stream().noneMatch(d -> d.isError() && d.line() == baseLines + 1);
        return global ? "config" : mode;
    }

    /** The typed words abbreviate the opener's words (and say more: a name or number follows). */
    private static boolean opens(String[] words, String[] opener) {
        if (words.length <= opener.length) {
            return false;
        }
        for (int i = 0; i < opener.length; i++) {
            if (!opener[i].startsWith(words[i])) {
                return false;
            }
        }
        return true;
    }
}
