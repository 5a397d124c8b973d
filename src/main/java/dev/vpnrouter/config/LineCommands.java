package dev.vpnrouter.config;

import dev.vpnrouter.config.Blocks.LineBuilder;
import dev.vpnrouter.config.model.LineBlock;

import java.util.Optional;

import static dev.vpnrouter.config.Mode.LINE;
import static dev.vpnrouter.config.model.PassiveLine.Placement.BLOCK;

/** {@code line con|aux|vty} sub-commands: password and login are acted on (vty), the rest is passive. */
final class LineCommands {
    private LineCommands() {
    }

    static void define(IosGrammar g) {
        g.on(LINE, "password [{0|7}:type] WORD:password", (c, a) -> GlobalCommands.password(c, a, "password")
                .ifPresent(p -> line(c).password = Optional.of(p)));
        g.on(LINE, "no password [LINE:rest]", (c, a) -> line(c).password = Optional.empty());
        g.on(LINE, "login [{local|authentication WORD:list}:login]", (c, a) -> {
            LineBlock.Login.Mode mode = switch (a.optText("login").orElse("")) {
                case "local" -> LineBlock.Login.Mode.LOCAL;
                case "authentication" -> LineBlock.Login.Mode.AUTHENTICATION;
                default -> LineBlock.Login.Mode.LINE;
            };
            line(c).login = Optional.of(new LineBlock.Login(mode, a.optText("list")));
            if (a.has("list")) {
                line(c).mark("login-list", c.where(a, "list"));
            }
        });
        g.on(LINE, "no login", (c, a) -> line(c).login = Optional.of(
                new LineBlock.Login(LineBlock.Login.Mode.NONE, Optional.empty())));
        // Acted on for vty lines (SSH); on con and aux they stay passive lines, listed as not acted on.
        g.on(LINE, "exec-timeout INT(0-35791):minutes [INT(0-2147483):seconds]", vtyOnly((c, a) -> line(c)
                .execTimeout = Optional.of(new LineBlock.ExecTimeout(a.integer("minutes"), a.intOr("seconds", 0)))));
        g.on(LINE, "no exec-timeout", vtyOnly((c, a) -> line(c).execTimeout = Optional.empty()));
        g.on(LINE, "transport input {all|none|ssh|telnet}:first [{ssh|telnet}:second]", vtyOnly((c, a) -> {
            java.util.Set<String> in = new java.util.LinkedHashSet<>();
            String first = a.text("first");
            if (!first.equals("none")) {
                in.add(first);
            }
            a.optText("second").ifPresent(in::add);
            line(c).transportInput = Optional.of(in);
        }));
        g.on(LINE, "no transport input [LINE:rest]", vtyOnly((c, a) -> line(c).transportInput = Optional.empty()));
        g.on(LINE, "session-timeout INT(0-35791):minutes [{output}:output]", vtyOnly((c, a) -> line(c).sessionTimeout
                = Optional.of(new LineBlock.SessionTimeout(a.integer("minutes"), a.has("output")))));
        g.on(LINE, "no session-timeout [LINE:rest]", vtyOnly((c, a) -> line(c).sessionTimeout = Optional.empty()));
        g.on(LINE, "access-class WORD:acl in [{vrf-also}:vrf]", vtyOnly((c, a) -> line(c).accessClassIn = Optional.of(
                new LineBlock.AccessClass(a.text("acl"), a.has("vrf")))));
        g.on(LINE, "no access-class WORD:acl in [vrf-also]", vtyOnly((c, a) -> line(c).accessClassIn = Optional.empty()));
        g.passive(LINE, BLOCK,
                "escape-character WORD:character",
                "transport {output|preferred}:direction LINE:rest",
                "logging synchronous [LINE:rest]",
                "privilege level INT(0-15):level",
                "stopbits LINE:rest",
                "access-class WORD:acl out [vrf-also]",
                "ipv6 access-class WORD:acl {in|out}:direction",
                "speed INT(0-4294967295):bps",
                "absolute-timeout LINE:rest",
                "notify",
                "password-encryption aes",
                "exec",
                "no exec",
                "history size INT(0-256):size",
                "flowcontrol LINE:rest",
                "modem LINE:rest",
                "autoselect LINE:rest",
                "width INT(0-512):width",
                "length INT(0-512):length");
    }

    /** The action on a vty line; on con and aux the line is kept as a passive line. */
    private static dev.vpnrouter.config.syntax.Action<ParseContext> vtyOnly(
            dev.vpnrouter.config.syntax.Action<ParseContext> action) {
        return (c, a) -> {
            if (line(c).kind == LineBlock.Kind.VTY) {
                action.run(c, a);
            } else {
                c.passive(a, BLOCK);
            }
        };
    }

    private static LineBuilder line(ParseContext c) {
        return c.block(LineBuilder.class);
    }
}
