package dev.vpnrouter.sim;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** `vpnrouter lab`: the seed's story, its verification output, determinism, and a day with faults. */
class SeedLabTest {
    record Run(SeedLab.Outcome outcome, String output) {
    }

    static Run run(int spokes, long seed, FaultModel faults, long duration) throws IOException {
        return run(spokes, 1, seed, faults, duration);
    }

    static Run run(int spokes, int clients, long seed, FaultModel faults, long duration) throws IOException {
        return run(spokes, clients, seed, faults, duration, LabProgress.OFF);
    }

    static Run run(int spokes, int clients, long seed, FaultModel faults, long duration, LabProgress progress)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SeedLab.Options options = new SeedLab.Options(Files.readString(Path.of("examples/seed/hub.cfg")),
                Files.readString(Path.of("examples/seed/spoke.cfg")), spokes, clients, seed, faults, duration,
                false);
        SeedLab.Outcome outcome = new SeedLab(options, new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .withProgress(progress).run();
        return new Run(outcome, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theSeedRunsAndShowsItsVerificationOutput() throws IOException {
        Run r = run(1, 1, new FaultModel(0, 0, 0, 5), 0);
        assertThat(r.outcome().failures()).isEmpty();
        assertThat(r.outcome().tunnelsUp()).isEqualTo(2);
        // 6 from the spoke LAN (the first one brought the tunnel up), 5 from the client, 10 from the hub LAN.
        assertThat(r.outcome().pingsAnswered()).isEqualTo(r.outcome().pingsSent()).isEqualTo(21);
        assertThat(r.output()).contains(
                "client: Mode Config: address 10.5.5.1, DNS 1.1.1.1 2.2.2.2, WINS 3.3.3.3 4.4.4.4, domain cisco.com",
                "client: IPsec SA up 10.5.5.1/255.255.255.255/0/0 <-> 0.0.0.0/0.0.0.0/0/0 with 10.48.67.181",
                "ping 10.5.5.1 (client) -> 10.1.1.10: 5/5 replies through ESP",
                "   remote ident (addr/mask/prot/port): (10.5.5.1/255.255.255.255/0/0)",
                "        in use settings = {Tunnel UDP-Encaps, }");
        assertThat(r.output()).containsPattern("\\d+ +10\\.48\\.67\\.181 +198\\.18\\.0\\.1 +3des sha +2 +23:59:\\d\\d CNX");
        assertThat(r.output()).contains("ISP DHCP: Spoke FastEthernet0/0 leased 10.100.2.100/24 via 10.100.2.3",
                "Spoke#show ip interface FastEthernet0/0", "  Address determined by DHCP",
                "Hub#show crypto isakmp sa detail",
                "2     10.48.67.181    10.100.2.100             3des sha  psk  2  23:59:49",
                "Hub#show crypto ipsec sa", "   remote ident (addr/mask/prot/port): (10.2.0.0/255.255.0.0/0/0)",
                "    #pkts encaps: 11, #pkts encrypt: 11, #pkts digest 11",
                "    #pkts decaps: 11, #pkts decrypt: 11, #pkts verify 11");
    }

    @Test
    void sameSeedSameOutput() throws IOException {
        FaultModel faults = new FaultModel(0.1, 0.05, 0.05, 10);
        String first = run(3, 42, faults, 3_600_000).output();
        assertThat(run(3, 42, faults, 3_600_000).output()).isEqualTo(first);
        assertThat(run(3, 43, faults, 3_600_000).output()).isNotEqualTo(first);
    }

    @Test
    void aProgressLineOnTheTerminalLeavesStdoutByteForByteAndNeverRunsIntoIt() throws IOException {
        FaultModel faults = new FaultModel(0.1, 0.05, 0.05, 10);
        String plain = run(3, 2, 42, faults, 3_600_000).output();
        assertThat(plain).doesNotContain("\r");
        // stdout and stderr on one terminal; each look at this wall clock takes 50 ms, so the line is redrawn
        // every few events.
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        long[] wall = {0};
        LabProgress progress = new LabProgress(new PrintStream(screen, true, StandardCharsets.UTF_8), true,
                () -> wall[0] += 50_000_000L);
        SeedLab.Options options = new SeedLab.Options(Files.readString(Path.of("examples/seed/hub.cfg")),
                Files.readString(Path.of("examples/seed/spoke.cfg")), 3, 2, 42, faults, 3_600_000, false);
        new SeedLab(options, new PrintStream(screen, true, StandardCharsets.UTF_8)).withProgress(progress).run();
        String shown = screen.toString(StandardCharsets.UTF_8);
        assertThat(shown).contains("\rbring-up ", "\rpings ", "\rrunning ", "up 5/5, ");
        // Every drawing of the line is followed by the next one or by its clearing (blanks, then \r) before
        // stdout writes, the last one included: take those away and stdout is what it is without the line.
        assertThat(shown.replaceAll("\r[^\r\n]*(?=\r)", "").replace("\r", "")).isEqualTo(plain);
    }

    @Test
    void aDayWithLossDuplicationAndReorderingKeepsEveryTunnelUpAndThePoolLeaksNothing() throws IOException {
        // The lab itself fails the run when the pool holds more addresses than connected clients.
        Run r = run(20, 20, 7, new FaultModel(0.10, 0.05, 0.05, 10), 24L * 3_600_000);
        assertThat(r.outcome().failures()).isEmpty();
        assertThat(r.outcome().tunnelsUp()).isEqualTo(40);
        assertThat(r.outcome().negotiations()).isGreaterThan(40 * 24);
    }

    @Test
    void moreClientsThanThePoolHoldsWidenThePoolAndAllComeUp() throws IOException {
        Run r = run(2, 300, 3, FaultModel.PERFECT, 0);
        assertThat(r.outcome().failures()).isEmpty();
        assertThat(r.outcome().tunnelsUp()).isEqualTo(302);
        assertThat(r.output()).contains("lab: pool ippool holds 254 addresses; widened to 10.5.5.1 10.5.6.44 for "
                + "300 clients");
    }

    @Test
    void clientsTakeTheirGroupKeyAndAKnowablePasswordFromTheHubConfig() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String hub = Files.readString(Path.of("examples/seed/hub.cfg"));
        // A secret 5 user cannot be a lab client (its password cannot be known): the lab takes the clear one.
        SeedLab.Options options = new SeedLab.Options(hub.replace("username gfullage password 7 0201024E070A0E2649",
                "username gfullage password 0 gfullage\nusername other secret 5 $1$abcd$0123456789abcdefghijkl"),
                Files.readString(Path.of("examples/seed/spoke.cfg")), 1, 1, 1, FaultModel.PERFECT, 0, false);
        SeedLab.Outcome outcome = new SeedLab(options, new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        assertThat(outcome.failures()).isEmpty();
        SeedLab.Options noGroup = new SeedLab.Options(hub.replace("  key cisco321\n", ""),
                Files.readString(Path.of("examples/seed/spoke.cfg")), 1, 1, 1, FaultModel.PERFECT, 0, false);
        SeedLab.Outcome refused = new SeedLab(noGroup, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8)).run();
        assertThat(refused.failures()).anySatisfy(f -> assertThat(f).contains("no 'crypto isakmp client "
                + "configuration group' with a key"));
    }

    @Test
    void aBrokenSpokeConfigIsNamed() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SeedLab.Options options = new SeedLab.Options(Files.readString(Path.of("examples/seed/hub.cfg")),
                Files.readString(Path.of("examples/seed/spoke.cfg")).replace("key cisco123", "key nope"), 1, 0, 1,
                FaultModel.PERFECT, 0, false);
        SeedLab.Outcome outcome = new SeedLab(options, new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.failures()).anySatisfy(f -> assertThat(f).contains("only 0 of 1 spokes")
                .contains("pre-shared key mismatch"));
    }
}
