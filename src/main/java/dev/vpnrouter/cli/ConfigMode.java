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

    /** Prompts of features vpnrouter keeps but does not implement; others show {@code config-FIRSTWORD}. */
    private static final String[][] OUT_OF_SCOPE_PROMPTS = {
            {"router", "config-router"},
            {"ipv6 router", "config-rtr"},
            {"ip dhcp pool", "dhcp-config"},
            {"route-map", "config-route-map"},
            {"class-map", "config-cmap"},
            {"policy-map", "config-pmap"},
            {"crypto pki trustpoint", "ca-trustpoint"},
            {"crypto pki certificate chain", "config-cert-chain"},
            {"vrf definition", "config-vrf"},
            {"ip vrf", "config-vrf"},
    };

    private final String base;
    private final int baseLines;
    private final List<String> typed = new ArrayList<>();
    private String mode = "config";
    /** In the block of a feature vpnrouter does not implement: lines that are not global commands are its body. */
    private boolean outOfScope;

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
            outOfScope = false;
            return new Result("", false);
        }
        if (outOfScope && !parsesAlone(line)) {
            // Kept as the block's body, indented as show running-config writes it (a pasted block loses nothing).
            String body = " " + line;
            typed.add(body);
            control.reconfigure(IosParser.parse(text("")).config(), now);
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

    /** Whether the typed text ends in the block of a feature we do not implement: any indented line is taken. */
    private boolean inOutOfScopeBlock() {
        String probe = text(" vpnrouter-probe");
        int probeLine = baseLines + typed.size() + 1;
        return IosParser.parse(probe).diagnostics().stream().noneMatch(d -> d.isError() && d.line() == probeLine);
    }

    private String modeAfter(String line) {
        String[] words = line.toLowerCase(Locale.ROOT).split("\\s+");
        outOfScope = false;
        for (String[] opener : OPENERS) {
            if (opens(words, opener[0].split(" "))) {
                return opener[1];
            }
        }
        if (inOutOfScopeBlock()) {
            outOfScope = true;
            for (String[] p : OUT_OF_SCOPE_PROMPTS) {
                if (opens(words, p[0].split(" "))) {
                    return p[1];
                }
            }
            return "config-" + words[0];
        }
        if (mode.equals("config")) {
            return mode;
        }
        // In a sub-mode: a line that is also a global command left the block, as on IOS.
        return parsesAlone(line) ? "config" : mode;
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
