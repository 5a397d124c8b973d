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
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SeedLab.Options options = new SeedLab.Options(Files.readString(Path.of("examples/seed/hub.cfg")),
                Files.readString(Path.of("examples/seed/spoke.cfg")), spokes, seed, faults, duration, false);
        SeedLab.Outcome outcome = new SeedLab(options, new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        return new Run(outcome, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theSeedRunsAndShowsItsVerificationOutput() throws IOException {
        Run r = run(1, 1, new FaultModel(0, 0, 0, 5), 0);
        assertThat(r.outcome().failures()).isEmpty();
        assertThat(r.outcome().tunnelsUp()).isEqualTo(1);
        assertThat(r.outcome().pingsAnswered()).isEqualTo(r.outcome().pingsSent()).isEqualTo(11);
        assertThat(r.output()).contains("ISP DHCP: Spoke FastEthernet0/0 leased 10.100.2.100/24 via 10.100.2.3",
                "Spoke#show ip interface FastEthernet0/0", "  Address determined by DHCP",
                "Hub#show crypto isakmp sa detail",
                "1     10.48.67.181    10.100.2.100             3des sha  psk  2  23:59:49",
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
    void aDayWithLossDuplicationAndReorderingKeepsEveryTunnelUp() throws IOException {
        Run r = run(20, 7, new FaultModel(0.10, 0.05, 0.05, 10), 24L * 3_600_000);
        assertThat(r.outcome().failures()).isEmpty();
        assertThat(r.outcome().tunnelsUp()).isEqualTo(20);
        assertThat(r.outcome().negotiations()).isGreaterThan(20 * 24);
    }

    @Test
    void aBrokenSpokeConfigIsNamed() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SeedLab.Options options = new SeedLab.Options(Files.readString(Path.of("examples/seed/hub.cfg")),
                Files.readString(Path.of("examples/seed/spoke.cfg")).replace("key cisco123", "key nope"), 1, 1,
                FaultModel.PERFECT, 0, false);
        SeedLab.Outcome outcome = new SeedLab(options, new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.failures()).anySatisfy(f -> assertThat(f).contains("only 0 of 1 spokes")
                .contains("pre-shared key mismatch"));
    }
}
