package dev.vpnrouter.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hub's {@code debug crypto isakmp|ipsec|engine} output for the seed's two negotiations, against the seed
 * document's own hub traces (src/test/resources/dev/vpnrouter/cli/seed/hub-debug-*.txt: the document's text with
 * its line wrapping undone, one IOS line per line) and against golden files of our whole output. Both sides are
 * masked ({@link Transcripts#mask}). Every seed line is printed, in the seed's order, or listed in the trace's
 * {@code .gaps} file (the lines vpnrouter deliberately does not print, with why); every line we print is a seed
 * line or listed in the trace's {@code .extra} file (IOS lines this seed trace lacks because our peers are not the
 * seed's: a vpnrouter spoke sends other vendor IDs than an IOS 12.3 spoke). UPDATE_GOLDEN=1 rewrites the golden files.
 */
class DebugTranscriptTest {
    static final Path SEED = Path.of("src/test/resources/dev/vpnrouter/cli/seed");
    static final Path GOLDEN = Path.of("src/test/resources/dev/vpnrouter/cli/golden");
    static Map<String, List<String>> runs;

    @BeforeAll
    static void run() {
        Transcripts.DebuggingHub hub = new Transcripts.DebuggingHub();
        List<String> spoke = Transcripts.mask(hub.spokeTunnel());
        List<String> client = Transcripts.mask(hub.clientLogin());
        runs = Map.of("hub-debug-spoke", spoke, "hub-debug-client", client);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hub-debug-spoke", "hub-debug-client"})
    void matchesItsGoldenFile(String trace) throws IOException {
        String ours = String.join("\n", runs.get(trace)) + "\n";
        Path golden = GOLDEN.resolve(trace + ".txt");
        if (System.getenv("UPDATE_GOLDEN") != null) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, ours);
        }
        assertThat(ours).isEqualTo(Files.readString(golden));
    }

    /**
     * What the hub prints when it refuses the spoke, one golden file per failure kind: a transform set it does not
     * have (Quick Mode: "not supported", "atts not acceptable", "SA not acceptable!"), proxy identities it does not
     * grant (the spoke claims 10.0.0.0/8, over the hub's own LAN: "proxy identities not supported"), a wrong
     * pre-shared key (MM5 does not decrypt: the hub counts it as malformed and the spoke retransmits).
     */
    @ParameterizedTest
    @CsvSource(delimiter = ';', textBlock = """
            hub-debug-mismatch-transform; esp-3des esp-sha-hmac;                 esp-des esp-md5-hmac
            hub-debug-mismatch-proxy;     permit ip 10.2.0.0 0.0.255.255;        permit ip 10.0.0.0 0.255.255.255
            hub-debug-mismatch-key;       crypto isakmp key cisco123;            crypto isakmp key wrongkey
            """)
    void refusalsMatchTheirGoldenFiles(String trace, String spokeLine, String hostileLine) throws IOException {
        Transcripts.DebuggingHub hub = new Transcripts.DebuggingHub(cfg -> {
            assertThat(cfg).contains(spokeLine);
            return cfg.replace(spokeLine, hostileLine);
        });
        List<String> lines = Transcripts.mask(hub.spokeTunnel());
        assertThat(hub.lab.hubView.childSas()).as("the hub installs nothing for a refused spoke").isEmpty();
        String ours = String.join("\n", lines) + "\n";
        Path golden = GOLDEN.resolve(trace + ".txt");
        if (System.getenv("UPDATE_GOLDEN") != null) {
            Files.writeString(golden, ours);
        }
        assertThat(ours).isEqualTo(Files.readString(golden));
        String expected = switch (trace) {
            case "hub-debug-mismatch-transform" -> "ISAKMP (0:<C>): SA not acceptable!";
            case "hub-debug-mismatch-proxy" -> "IPSEC(validate_transform_proposal): proxy identities not supported";
            default -> "ISAKMP (0:<C>): incrementing error counter on sa, attempt 1 of 3: PAYLOAD_MALFORMED";
        };
        assertThat(lines).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hub-debug-spoke", "hub-debug-client"})
    void printsEverySeedLineInTheSeedsOrderOrListsItAsAGap(String trace) throws IOException {
        List<String> ours = runs.get(trace);
        // The gaps in the seed's order: each one excuses the next seed line equal to it, and every one must be used
        // (a gap vpnrouter has closed is an error, so the file cannot go stale).
        List<String> gaps = listed(trace + ".gaps");
        int gap = 0;
        List<String> missing = new ArrayList<>();
        int at = 0;
        for (String want : Transcripts.mask(Files.readAllLines(SEED.resolve(trace + ".txt")))) {
            int found = ours.subList(at, ours.size()).indexOf(want);
            if (gap < gaps.size() && gaps.get(gap).equals(want)) {
                gap++;
                continue;
            }
            if (found < 0) {
                missing.add(want + "    (seed line not printed after our line " + at + ": " + lineAt(ours, at) + ")");
            } else {
                at += found + 1;
            }
        }
        assertThat(missing).as("seed lines neither printed in order nor in " + trace + ".gaps").isEmpty();
        assertThat(gaps.subList(gap, gaps.size())).as("gaps not met in the seed's order").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"hub-debug-spoke", "hub-debug-client"})
    void printsNothingIosWouldNot(String trace) throws IOException {
        // What IOS prints: both seed traces, and the .extra file's lines (IOS lines these traces happen to lack).
        Set<String> known = new HashSet<>();
        for (String t : List.of("hub-debug-spoke", "hub-debug-client")) {
            known.addAll(Transcripts.mask(Files.readAllLines(SEED.resolve(t + ".txt"))));
        }
        known.addAll(listed(trace + ".extra"));
        List<String> unknown = runs.get(trace).stream().filter(l -> !known.contains(l)).toList();
        assertThat(unknown).as("lines neither in the seed traces nor in " + trace + ".extra").isEmpty();
    }

    /** A gaps or extra file: seed-form lines, masked, in order; '#' starts a comment line (why the lines below it). */
    static List<String> listed(String file) throws IOException {
        Path p = SEED.resolve(file);
        if (!Files.exists(p)) {
            return List.of();
        }
        return Transcripts.mask(Files.readAllLines(p).stream().filter(l -> !l.startsWith("#")).toList());
    }

    private static String lineAt(List<String> lines, int i) {
        return i < lines.size() ? lines.get(i) : "(end)";
    }
}
