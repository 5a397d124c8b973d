package dev.vpnrouter.app;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * Man pages in troff (the man(7) macros) straight from the picocli model: {@code vpnrouter.1} and one
 * {@code vpnrouter-SUB.1} per subcommand, so {@code man vpnrouter-run} says what {@code vpnrouter run --help}
 * says. The build runs {@link #main} after compiling (pom.xml, exec-maven-plugin) and the Debian package installs
 * the pages, gzipped, under /usr/share/man/man1. Written here rather than picocli-codegen's AsciiDoc plus
 * Asciidoctor: that needs JRuby in the build, for pages this small.
 */
public final class ManPages {
    private ManPages() {
    }

    /** {@code ManPages DIR}: writes {@code DIR/vpnrouter.1.gz}, {@code DIR/vpnrouter-run.1.gz}, ... */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ManPages OUTPUT-DIRECTORY");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (Page page : pages()) {
            // GZIPOutputStream leaves the header's time stamp 0: the same sources give the same bytes.
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(page.fileName())));
                    Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8)) {
                w.write(page.troff());
            }
        }
    }

    /** One page: its file name ({@code vpnrouter-run.1.gz}) and its troff source. */
    public record Page(String name, String troff) {
        public String fileName() {
            return name + ".1.gz";
        }
    }

    /** The top command's page and one per subcommand except {@code help}, which {@code vpnrouter.1} describes. */
    public static List<Page> pages() {
        CommandLine top = new CommandLine(new Main());
        List<Page> pages = new ArrayList<>();
        pages.add(new Page("vpnrouter", page(top.getCommandSpec())));
        for (CommandLine sub : top.getSubcommands().values()) {
            CommandSpec spec = sub.getCommandSpec();
            if (spec.name().equals("help") || pages.stream().anyMatch(p -> p.name().equals(pageName(spec)))) {
                continue; // aliases would give the same page twice
            }
            pages.add(new Page(pageName(spec), page(spec)));
        }
        return pages;
    }

    static String pageName(CommandSpec spec) {
        return spec.qualifiedName("-");
    }

    /** The troff source of {@code spec}'s page. */
    static String page(CommandSpec spec) {
        String name = pageName(spec);
        String version = version(spec);
        StringBuilder t = new StringBuilder();
        t.append(".\\\" Generated from the picocli model by dev.vpnrouter.app.ManPages; edit the @Command, not this.")
                .append('\n');
        t.append(".TH \"").append(name.toUpperCase(Locale.ROOT)).append("\" 1 \"\" \"").append(escape(version))
                .append("\" \"vpnrouter manual\"\n");
        t.append(".SH NAME\n").append(escape(name)).append(" \\- ").append(escape(firstSentence(spec))).append('\n');

        t.append(".SH SYNOPSIS\n").append(synopsis(spec));

        t.append(".SH DESCRIPTION\n");
        for (String line : spec.usageMessage().description()) {
            t.append(".PP\n").append(text(line)).append('\n');
        }

        if (!spec.subcommands().isEmpty()) {
            t.append(".SH COMMANDS\n");
            for (var e : spec.subcommands().entrySet()) {
                CommandSpec sub = e.getValue().getCommandSpec();
                if (!sub.name().equals(e.getKey())) {
                    continue; // an alias
                }
                t.append(".TP\n\\fB").append(escape(e.getKey())).append("\\fR\n").append(text(firstSentence(sub)))
                        .append(sub.name().equals("help") ? "." : ". See \\fB" + escape(pageName(sub)) + "\\fR(1).")
                        .append('\n');
            }
        }

        List<PositionalParamSpec> positionals = spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
        if (!positionals.isEmpty()) {
            t.append(".SH ARGUMENTS\n");
            for (PositionalParamSpec p : positionals) {
                t.append(".TP\n\\fI").append(escape(p.paramLabel())).append("\\fR\n")
                        .append(text(String.join(" ", p.description()))).append('\n');
            }
        }

        List<OptionSpec> options = spec.options().stream().filter(o -> !o.hidden()).toList();
        if (!options.isEmpty()) {
            t.append(".SH OPTIONS\n");
            for (OptionSpec o : options) {
                t.append(".TP\n").append(optionTerm(o)).append('\n')
                        .append(text(String.join(" ", o.description()).replace("${DEFAULT-VALUE}",
                                String.valueOf(o.defaultValue())))).append('\n');
            }
        }

        String[] footer = spec.usageMessage().footer();
        String heading = spec.usageMessage().footerHeading().replace("%n", "").strip().replaceAll(":$", "");
        if (footer.length > 0) {
            t.append(".SH ").append(heading.isEmpty() ? "NOTES" : escape(heading.toUpperCase(Locale.ROOT)))
                    .append('\n');
            for (String line : footer) {
                t.append(".PP\n").append(text(line)).append('\n');
            }
        }

        t.append(".SH SEE ALSO\n");
        List<String> see = new ArrayList<>();
        if (spec.parent() != null) {
            see.add("\\fB" + escape(pageName(spec.root())) + "\\fR(1)");
        } else {
            for (var e : spec.subcommands().entrySet()) {
                CommandSpec sub = e.getValue().getCommandSpec();
                if (sub.name().equals(e.getKey()) && !sub.name().equals("help")) {
                    see.add("\\fB" + escape(pageName(sub)) + "\\fR(1)");
                }
            }
        }
        if (name.equals("vpnrouter-run") || spec.parent() == null) {
            see.add("\\fBsystemctl\\fR(1)"); // the packaged vpnrouter@.service runs `run`
        }
        t.append(String.join(",\n", see)).append('\n');
        return t.toString();
    }

    private static String version(CommandSpec spec) {
        String[] v = spec.root().version();
        return v.length > 0 ? v[0] : "vpnrouter";
    }

    /** The description's first line up to its first sentence end: the NAME line's short text. */
    private static String firstSentence(CommandSpec spec) {
        String[] d = spec.usageMessage().description();
        String first = d.length == 0 ? "" : d[0];
        int dot = first.indexOf(". ");
        String s = dot >= 0 ? first.substring(0, dot) : first;
        s = s.strip();
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        // The NAME line is one sentence; a colon list after it belongs to the description (a colon inside
        // parentheses does not end it).
        int depth = 0;
        for (int i = 0; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == ':' && s.charAt(i + 1) == ' ' && depth == 0) {
                return s.substring(0, i);
            }
        }
        return s;
    }

    private static String synopsis(CommandSpec spec) {
        StringBuilder s = new StringBuilder(".B ").append(escape(spec.qualifiedName(" "))).append('\n');
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) {
                continue;
            }
            String term = optionTerm(o);
            boolean repeatable = o.isMultiValue();
            s.append(o.required() ? term : "[" + term + "]").append(repeatable ? "..." : "").append('\n');
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (p.hidden()) {
                continue;
            }
            String label = "\\fI" + escape(p.paramLabel()) + "\\fR";
            boolean optional = p.arity().min() == 0;
            String many = p.arity().max() > 1 ? "..." : "";
            s.append(optional ? "[" + label + many + "]" : label + many).append('\n');
        }
        if (!spec.subcommands().isEmpty()) {
            s.append("\\fICOMMAND\\fR\n");
        }
        return s.toString();
    }

    /** {@code \fB--config\fR \fIFILE\fR}, names joined by commas. */
    private static String optionTerm(OptionSpec o) {
        StringBuilder t = new StringBuilder();
        String[] names = o.names();
        for (int i = 0; i < names.length; i++) {
            t.append(i == 0 ? "" : ", ").append("\\fB").append(escape(names[i])).append("\\fR");
        }
        if (o.arity().max() > 0 && !o.paramLabel().isEmpty() && !o.type().equals(boolean.class)
                && !o.type().equals(Boolean.class)) {
            t.append(" \\fI").append(escape(o.paramLabel())).append("\\fR");
        }
        return t.toString();
    }

    /** Running text: escaped, and never starting with a control character ('.' or '\''). */
    private static String text(String s) {
        String e = escape(s.replace("%n", "\n"));
        StringBuilder out = new StringBuilder();
        for (String line : e.split("\n", -1)) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(line.startsWith(".") || line.startsWith("'") ? "\\&" + line : line);
        }
        return out.toString();
    }

    /** troff escapes: the backslash, and '-' as a real hyphen-minus so options can be copied and searched. */
    static String escape(String s) {
        return s.replace("\\", "\\e").replace("-", "\\-");
    }
}
