package dev.vpnrouter.cli;

import dev.vpnrouter.ike.cfg.VpnClientProfile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The hub's {@code debug crypto isakmp|ipsec|engine} output from the seed scene ({@link SeedExecLab}), one
 * negotiation at a time so that the spoke's and the VPN client's lines do not interleave, and the masking that
 * makes two runs (or a run and the seed document) comparable, as libreswan's sanitizers do for its console logs:
 * addresses, cookies, SPIs, message IDs, conn/flow ids, SA handles and timestamps become placeholders.
 */
final class Transcripts {
    private Transcripts() {
    }

    /** A lab whose hub console has the three debug switches on, and what the console has printed since. */
    static final class DebuggingHub {
        final SeedExecLab lab;
        final ExecSession console;
        private final List<String> lines = new ArrayList<>();

        DebuggingHub() {
            this(java.util.function.UnaryOperator.identity());
        }

        /** With the spoke's configuration edited: a spoke the hub refuses. */
        DebuggingHub(java.util.function.UnaryOperator<String> spokeEdit) {
            lab = new SeedExecLab(spokeEdit);
            console = lab.hubExec.openConsole("console", lab.now());
            console.onMonitor(text -> text.lines().forEach(lines::add));
            console.execute("enable", lab.now());
            for (String c : List.of("debug crypto isakmp", "debug crypto ipsec", "debug crypto engine")) {
                console.execute(c, lab.now());
            }
        }

        /** The lines printed since the last call. */
        List<String> take() {
            List<String> out = List.copyOf(lines);
            lines.clear();
            return out;
        }

        /** The spoke's first packet brings up its Main Mode and Quick Mode with the hub. */
        List<String> spokeTunnel() {
            take();
            lab.spokeHost.ping(lab.hubHost.address());
            lab.runFor(5_000);
            return take();
        }

        /** The VPN client's Aggressive Mode, Xauth, Mode Config and Quick Mode. */
        List<String> clientLogin() {
            take();
            lab.client.run(e -> e.connectClient(VpnClientProfile.of(SeedExecLab.HUB, "testgroup",
                    "cisco321".getBytes(StandardCharsets.US_ASCII), "gfullage", "gfullage"), lab.clock.now()));
            lab.runFor(5_000);
            return take();
        }
    }

    private static final Pattern TIMESTAMP = Pattern.compile("^\\*?[A-Z][a-z]{2} +\\d+ \\d\\d:\\d\\d:\\d\\d(\\.\\d+)?: ");

    /** Values of the run, and what each becomes. Addresses are the seed's own in the lab, named by role. */
    private static final List<String[]> MASKS = List.of(
            new String[] {"\\b10\\.48\\.67\\.181\\b", "<HUB>"},
            new String[] {"\\b10\\.100\\.2\\.102\\b", "<SPOKE>"},
            new String[] {"\\b10\\.51\\.82\\.100\\b", "<CLIENT>"},
            new String[] {"\\bsa = [0-9A-Fa-f]+", "sa = <SA>"},
            new String[] {"\\b(message ID|ID) = -?[1-9][0-9]*", "$1 = <MID>"},
            new String[] {"\\b([Nn]ode) -?[0-9]+", "$1 <MID>"},
            new String[] {"\\bspi (0x[0-9A-Fa-f]+|-?[0-9]+)", "spi <SPI>"},
            new String[] {"\\b(sa_spi|spi)= 0x[0-9A-Fa-f]+\\([0-9]+\\)", "$1= <SPI>"},
            new String[] {"\\bcurrent outbound spi: 0x[0-9A-Fa-f]+", "current outbound spi: <SPI>"},
            new String[] {"\\((0[:/])[1-9][0-9]*\\)", "($1<C>)"},
            new String[] {"^ISAKMP \\([1-9][0-9]*\\):", "ISAKMP (<C>):"},
            new String[] {"\\bconn id [0-9]+", "conn id <C>"},
            new String[] {"\\b(sa_conn_id|conn_id)(=? )[1-9][0-9]*", "$1$2<CONN>"},
            new String[] {"\\bflow_id: [0-9]+", "flow_id: <FLOW>"},
            new String[] {"\\bstruct 0x[0-9A-Fa-f]+", "struct <PTR>"},
            new String[] {"\\bsettings [0-9A-Fa-f]+$", "settings <PTR>"},
            new String[] {"seconds left to use the address: [0-9]+", "seconds left to use the address: <SECS>"});

    private static final List<Map.Entry<Pattern, String>> COMPILED = MASKS.stream()
            .map(m -> Map.entry(Pattern.compile(m[0]), m[1])).toList();

    /** One line with the values of the run replaced by placeholders, whitespace collapsed (the seed lost its indentation). */
    static String mask(String line) {
        String s = TIMESTAMP.matcher(line).replaceFirst("").strip().replaceAll("\\s+", " ").replace(" )", ")");
        for (Map.Entry<Pattern, String> m : COMPILED) {
            s = m.getKey().matcher(s).replaceAll(m.getValue());
        }
        return s;
    }

    /** The debug lines masked; the router's messages ({@code %CRYPTO-...}) that share the console are not debug output. */
    static List<String> mask(List<String> lines) {
        return lines.stream().map(Transcripts::mask).filter(l -> !l.isEmpty() && !l.startsWith("%")).toList();
    }
}
