package dev.vpnrouter.config;

import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.config.syntax.Args;
import dev.vpnrouter.config.syntax.DelimitedText;
import dev.vpnrouter.config.syntax.MatchResult;
import dev.vpnrouter.config.syntax.Token;
import dev.vpnrouter.config.syntax.Tokenizer;

import java.util.List;

/**
 * Reads IOS configuration text the way a router loads a startup-config. Indentation means nothing: a line is
 * tried as a command of the current mode and, when it is not one, at global level, where it may leave the mode
 * or enter another (the IOS rule). The one exception: under the header of a feature vpnrouter does not implement
 * ({@code router ospf 1}), the indented lines are kept as its body, unread. {@code !} starts a comment,
 * {@code exit} leaves a sub-mode and {@code end} stops reading. A rejected line gets an IOS-style error and loading continues with the next line.
 *
 * <p>Syntax only: references between blocks are checked by {@link ConfigChecker}; {@link ConfigLoader} does both.
 */
public final class IosParser {
    private IosParser() {
    }

    public static ParseResult parse(String text) {
        String[] lines = text.split("\n", -1);
        ParseContext c = new ParseContext();
        IosGrammar grammar = IosGrammar.INSTANCE;
        for (int n = 0; n < lines.length; n++) {
            String line = stripCr(lines[n]);
            List<Token> tokens = Tokenizer.tokenize(line);
            if (tokens.isEmpty() || tokens.getFirst().text().startsWith("!")) {
                continue;
            }
            c.line = n + 1;
            c.lineText = line;
            int indent = indentation(line);
            if (c.mode == Mode.OUT_OF_SCOPE && indent > c.modeIndent) {
                // Under a feature we do not implement, indentation is all there is to go by (as show running-config
                // writes it); a line indented no deeper than the header is read at global level, where a typo is
                // still an error.
                c.outOfScopeLine(line);
                continue;
            }
            String first = tokens.getFirst().text();
            if (tokens.size() == 1 && first.equalsIgnoreCase("exit") && c.mode != Mode.GLOBAL) {
                c.enter(Mode.GLOBAL, null);
                continue;
            }
            if (tokens.size() == 1 && (first.equalsIgnoreCase("end") || first.equalsIgnoreCase("exit"))) {
                warnAfterEnd(c, lines, n + 1, n + 1);
                break;
            }
            MatchResult<ParseContext> result = grammar.tree(c.mode).match(tokens, line);
            if (!(result instanceof MatchResult.Matched) && c.mode != Mode.GLOBAL) {
                MatchResult<ParseContext> global = grammar.tree(Mode.GLOBAL).match(tokens, line);
                if (global instanceof MatchResult.Matched) {
                    c.enter(Mode.GLOBAL, null);
                    result = global;
                } else if (global.column() > result.column()) {
                    result = global; // report the reading that got further
                }
            }
            // Features we do not implement, last; a line indented under one of our blocks stays that block's
            // (a mistyped sub-command is its error, not the start of some other feature).
            if (!(result instanceof MatchResult.Matched) && (c.mode == Mode.GLOBAL || c.mode == Mode.OUT_OF_SCOPE
                    || indent <= c.modeIndent)) {
                MatchResult<ParseContext> other = grammar.outOfScope().match(tokens, line);
                if (other instanceof MatchResult.Matched) {
                    c.enter(Mode.GLOBAL, null);
                    result = other;
                } else if (other.column() > result.column()) {
                    result = other;
                }
            }
            switch (result) {
                case MatchResult.Matched<ParseContext> m -> n = run(c, m, lines, n);
                case MatchResult.Failed<ParseContext> f -> c.error(f.column(), f.message());
            }
        }
        c.line = 0;
        c.lineText = "";
        Mode endMode = c.mode;
        String endPrompt = c.prompt();
        RouterConfig config = c.build();
        return new ParseResult(config, c.diagnostics.stream().sorted(Diagnostic.ORDER).toList(), c.source, endMode,
                endPrompt);
    }

    /** Runs a matched command; a delimited text left open takes the following lines. Returns the last line used. */
    private static int run(ParseContext c, MatchResult.Matched<ParseContext> m, String[] lines, int n) {
        Args args = m.args();
        if (args.has("text") && args.get("text") instanceof DelimitedText open && !open.closed()) {
            DelimitedText text = open;
            int startLine = c.line;
            String startText = c.lineText;
            while (!text.closed() && n + 1 < lines.length) {
                n++;
                text = text.append(stripCr(lines[n]));
            }
            if (!text.closed()) {
                c.error(args.column("text"), "% Text starting here is not closed by its delimiter '"
                        + text.delimiter() + "'");
                return n;
            }
            args.set("text", text);
            c.line = startLine;
            c.lineText = startText;
        }
        m.action().run(c, args);
        return n;
    }

    private static void warnAfterEnd(ParseContext c, String[] lines, int from, int endLine) {
        for (int n = from; n < lines.length; n++) {
            String line = stripCr(lines[n]).strip();
            if (!line.isEmpty() && !line.startsWith("!")) {
                c.line = n + 1;
                c.lineText = stripCr(lines[n]);
                c.warning(lines[n].indexOf(line.charAt(0)) + 1, "ignored: text after 'end' (line " + endLine + ")");
                return;
            }
        }
    }

    /** Leading blanks (spaces or tabs) of a line. */
    static int indentation(String line) {
        int n = 0;
        while (n < line.length() && (line.charAt(n) == ' ' || line.charAt(n) == '\t')) {
            n++;
        }
        return n;
    }

    /**
     * Drops every CR at the end of a line, not just one: a banner line ending in several would otherwise lose one
     * at each load and never write back the same (a fuzzing finding).
     */
    private static String stripCr(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '\r') {
            end--;
        }
        return s.substring(0, end);
    }
}
