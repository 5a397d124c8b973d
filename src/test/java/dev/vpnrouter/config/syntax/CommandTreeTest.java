package dev.vpnrouter.config.syntax;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandTreeTest {
    private final List<String> ran = new ArrayList<>();

    private CommandTree<List<String>> tree() {
        CommandTree<List<String>> t = new CommandTree<>();
        t.define("crypto isakmp policy INT(1-10000):priority", (c, a) -> c.add("policy " + a.integer("priority")));
        t.define("crypto isakmp profile WORD:name", (c, a) -> c.add("profile " + a.text("name")));
        t.define("crypto isakmp key WORD:key address IP:address [MASK:mask] [no-xauth:noXauth]",
                (c, a) -> c.add("key " + a.text("key") + " " + a.ip("address") + " " + a.ipOr("mask", -1)
                        + " " + a.has("noXauth")));
        t.define("crypto ipsec transform-set WORD:name", (c, a) -> c.add("ts"));
        t.define("interface IFNAME:name", (c, a) -> c.add("if " + a.text("name")));
        t.define("group {1|2|5|14}:group", (c, a) -> c.add("group " + a.text("group")));
        t.define("set transform-set WORD:ts+", (c, a) -> c.add("sets " + a.all("ts")));
        t.define("description LINE:text", (c, a) -> c.add("desc [" + a.text("text") + "]"));
        return t;
    }

    private MatchResult<List<String>> run(String line) {
        MatchResult<List<String>> r = tree().match(line);
        if (r instanceof MatchResult.Matched<List<String>> m) {
            m.action().run(ran, m.args());
        }
        return r;
    }

    @Test
    void abbreviationsMatchWhenUnambiguous() {
        run("crypto isa pol 10");
        run("cr isakmp prof L2L");
        run("int fa0/0");
        run("interface FastEthernet 0/1");
        assertThat(ran).containsExactly("policy 10", "profile L2L", "if FastEthernet0/0", "if FastEthernet0/1");
    }

    @Test
    void optionalsCapturesAndRepeats() {
        run("crypto isakmp key cisco123 address 10.48.67.181");
        run("crypto isakmp key k address 0.0.0.0 0.0.0.0 no-xauth");
        run("group 1");
        run("group 14");
        run("set transform-set a b c");
        run("description  LAN-to-LAN  link ");
        assertThat(ran).containsExactly("key cisco123 170935221 -1 false", "key k 0 0 true", "group 1", "group 14",
                "sets [a, b, c]", "desc [LAN-to-LAN  link]");
    }

    @Test
    void ambiguousAbbreviation() {
        MatchResult<List<String>> r = run("crypto i p 10");
        assertThat(r).isEqualTo(new MatchResult.Failed<>(MatchResult.Failure.AMBIGUOUS, 8,
                "% Ambiguous command:  \"crypto i p 10\""));
        assertThat(run("crypto isakmp p 10")).isEqualTo(new MatchResult.Failed<>(MatchResult.Failure.AMBIGUOUS, 15,
                "% Ambiguous command:  \"crypto isakmp p 10\""));
    }

    @Test
    void invalidInputCaretAtFirstMismatchingCharacter() {
        // "polcy": "pol" is shared with "policy", the caret goes under the 'c'
        assertThat(run("crypto isakmp polcy 10").column()).isEqualTo(15 + 3);
        assertThat(run("crypto isakmp policy 0").column()).isEqualTo(22);
        assertThat(run("group 3").column()).isEqualTo(7);
        assertThat(run("crypto isakmp key k address 10.1.1.300").column()).isEqualTo(29);
        assertThat(run("crypto isakmp policy 10 extra").column()).isEqualTo(25);
        assertThat(((MatchResult.Failed<?>) run("bogus")).message()).isEqualTo(CommandTree.INVALID);
    }

    @Test
    void incompleteCommand() {
        MatchResult<List<String>> r = run("crypto isakmp policy");
        assertThat(r).isEqualTo(new MatchResult.Failed<>(MatchResult.Failure.INCOMPLETE, 22, CommandTree.INCOMPLETE));
    }

    @Test
    void canonicalSpelling() {
        MatchResult<List<String>> r = tree().match("cr isa k x add 1.2.3.4 no");
        assertThat(((MatchResult.Matched<List<String>>) r).args().canonical())
                .isEqualTo("crypto isakmp key x address 1.2.3.4 no-xauth");
    }

    @Test
    void conflictingDefinitionsAreRejected() {
        CommandTree<Object> t = new CommandTree<>();
        t.define("a WORD:x", (c, a) -> { });
        assertThatThrownBy(() -> t.define("a WORD:y", (c, a) -> { })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> t.define("a WORD:x", (c, a) -> { })).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void execStyleAbbreviationsForTheCli() {
        CommandTree<List<String>> exec = new CommandTree<>();
        exec.define("show running-config", (c, a) -> c.add("run"));
        exec.define("show crypto isakmp sa [detail:detail]", (c, a) -> c.add("isakmp sa " + a.has("detail")));
        exec.define("show crypto ipsec sa", (c, a) -> c.add("ipsec sa"));
        exec.define("show clock", (c, a) -> c.add("clock"));
        exec.define("debug crypto {isakmp|ipsec|engine}:what", (c, a) -> c.add("debug " + a.text("what")));
        for (String line : List.of("sh run", "show cry isa sa det", "sh cr ips sa", "deb cry eng")) {
            MatchResult.Matched<List<String>> m = (MatchResult.Matched<List<String>>) exec.match(line);
            m.action().run(ran, m.args());
        }
        assertThat(ran).containsExactly("run", "isakmp sa true", "ipsec sa", "debug engine");
        assertThat(exec.match("sh c")).isInstanceOf(MatchResult.Failed.class); // clock or crypto
        assertThat(((MatchResult.Failed<?>) exec.match("sh c")).failure()).isEqualTo(MatchResult.Failure.AMBIGUOUS);
    }

    @Test
    void fragmentsMatchAsOneArgumentAndExplainTheirFailures() {
        java.util.Map<String, ArgType> types = new java.util.HashMap<>();
        types.put("ADDR", CommandTree.fragment("ADDR", "{any:any | host IP:host | IP:address MASK:wildcard}", types));
        CommandTree<List<String>> t = new CommandTree<>(types);
        t.define("permit ADDR:src ADDR:dst [log:log]", (c, a) -> c.add(a.fragment("src").canonical() + " -> "
                + a.fragment("dst").canonical() + (a.has("log") ? " log" : "")));
        MatchResult.Matched<List<String>> m = (MatchResult.Matched<List<String>>) t.match("permit ho 1.2.3.4 10.0.0.0 "
                + "0.255.255.255 log");
        m.action().run(ran, m.args());
        assertThat(ran).containsExactly("host 1.2.3.4 -> 10.0.0.0 0.255.255.255 log");
        assertThat(m.args().canonical()).isEqualTo("permit host 1.2.3.4 10.0.0.0 0.255.255.255 log");
        // The caret points inside the fragment: at the bad wildcard, not at the start of the address.
        assertThat(t.match("permit any 10.0.0.0 0.255.255")).isEqualTo(new MatchResult.Failed<>(
                MatchResult.Failure.INVALID, 21, CommandTree.INVALID));
        assertThat(((MatchResult.Failed<?>) t.match("permit any host")).failure())
                .isEqualTo(MatchResult.Failure.INCOMPLETE);
    }

    @Test
    void interfaceNames() {
        assertThat(InterfaceNames.canonical("fa0/0")).isEqualTo("FastEthernet0/0");
        assertThat(InterfaceNames.canonical("Gi1/0/1.100")).isEqualTo("GigabitEthernet1/0/1.100");
        assertThat(InterfaceNames.canonical("atm1/0")).isEqualTo("ATM1/0");
        assertThat(InterfaceNames.canonical("t0")).isNull(); // Tunnel or TenGigabitEthernet
        assertThat(InterfaceNames.canonical("tu0")).isEqualTo("Tunnel0");
        assertThat(InterfaceNames.canonical("fa")).isNull();
        assertThat(InterfaceNames.canonical("10.1.1.1")).isNull();
    }
}
