package dev.vpnrouter.config;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.model.Logging;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.syslog.Severity;
import dev.vpnrouter.syslog.SyslogFacility;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LoggingCommandsTest {
    private static ParseResult load(String... lines) {
        return ConfigLoader.load(String.join("\n", lines) + "\n");
    }

    private static RouterConfig clean(String... lines) {
        ParseResult r = load(lines);
        assertThat(r.errors()).as("errors").isEmpty();
        return r.config();
    }

    @Test
    void withoutLoggingCommandsTheDefaultsAreIosDefaults() {
        assertThat(clean("hostname R1").logging()).isEqualTo(Logging.DEFAULT);
        assertThat(ConfigWriter.write(clean("hostname R1"))).doesNotContain("logging");
    }

    @Test
    void everyCommandIsReadAndWrittenBackAndTheTextLoadsTheSame() {
        RouterConfig c = clean(
                "logging buffered 51200 warnings",
                "logging console informational",
                "no logging on",
                "logging trap 5",
                "logging trap syslog-format rfc5424",
                "logging facility local5",
                "logging source-interface fa0/1",
                "logging host 192.0.2.10",
                "logging host 192.0.2.11 transport udp port 5514",
                "logging 192.0.2.12",
                "logging history size 20",
                "logging rate-limit 100 except errors");
        Logging l = c.logging();
        assertThat(l.on()).isFalse();
        assertThat(l.buffer()).contains(new Logging.Buffer(51200, Severity.WARNINGS));
        assertThat(l.console()).contains(Severity.INFORMATIONAL);
        assertThat(l.trap()).contains(Severity.NOTIFICATIONS);
        assertThat(l.rfc5424()).isTrue();
        assertThat(l.facility()).isEqualTo(SyslogFacility.LOCAL5);
        assertThat(l.sourceInterface()).contains("FastEthernet0/1");
        assertThat(l.hosts()).containsExactly(new Logging.Host(Ipv4.parse("192.0.2.10"), 514),
                new Logging.Host(Ipv4.parse("192.0.2.11"), 5514), new Logging.Host(Ipv4.parse("192.0.2.12"), 514));
        String written = ConfigWriter.write(c);
        assertThat(written).contains("logging buffered 51200 warnings\nlogging console informational\nno logging on\n",
                "logging trap notifications\nlogging trap syslog-format rfc5424\nlogging facility local5\n"
                        + "logging source-interface FastEthernet0/1\nlogging host 192.0.2.10\n"
                        + "logging host 192.0.2.11 transport udp port 5514\nlogging host 192.0.2.12\n",
                "logging history size 20", "logging rate-limit 100 except errors");
        RouterConfig again = clean(written.split("\n"));
        assertThat(again.logging()).isEqualTo(l);
        assertThat(ConfigWriter.write(again)).isEqualTo(written);
    }

    @Test
    void noFormsGoBackToTheDefaultsOrTurnADestinationOff() {
        Logging l = clean(
                "logging host 192.0.2.10",
                "logging facility local0",
                "logging source-interface fa0/1",
                "no logging host 192.0.2.10",
                "no logging facility",
                "no logging source-interface",
                "no logging trap",
                "no logging buffered",
                "no logging console").logging();
        assertThat(l.hosts()).isEmpty();
        assertThat(l.facility()).isEqualTo(SyslogFacility.LOCAL7);
        assertThat(l.sourceInterface()).isEmpty();
        assertThat(l.trap()).isEmpty();
        assertThat(l.buffer()).isEmpty();
        assertThat(l.console()).isEmpty();
        String written = ConfigWriter.write(clean("no logging trap", "no logging buffered", "no logging console"));
        assertThat(written).contains("no logging buffered\nno logging console\n", "no logging trap\n");
    }

    @Test
    void levelsByNumberNameOrUniqueAbbreviation() {
        assertThat(clean("logging trap info").logging().trap()).contains(Severity.INFORMATIONAL);
        assertThat(clean("logging trap 0").logging().trap()).contains(Severity.EMERGENCIES);
        assertThat(clean("logging trap").logging().trap()).contains(Severity.INFORMATIONAL);
        assertThat(clean("logging buffered debugging").logging().buffer())
                .contains(new Logging.Buffer(4096, Severity.DEBUGGING));
        assertThat(clean("logging buffered 3").logging().buffer()).contains(new Logging.Buffer(4096, Severity.ERRORS));
        assertThat(clean("logging buffered 8192").logging().buffer())
                .contains(new Logging.Buffer(8192, Severity.DEBUGGING));
    }

    @Test
    void badValuesAreIosErrorsAtTheirColumnAndTheRestLoads() {
        ParseResult r = load(
                "logging trap loud",
                "logging trap e",
                "logging facility local9",
                "logging buffered 100",
                "logging buffered warnings 8192",
                "logging console 8",
                "hostname StillLoaded");
        assertThat(r.errors()).extracting(Diagnostic::line, Diagnostic::column).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, 14), org.assertj.core.groups.Tuple.tuple(2, 14),
                org.assertj.core.groups.Tuple.tuple(3, 18), org.assertj.core.groups.Tuple.tuple(4, 18),
                org.assertj.core.groups.Tuple.tuple(5, 18), org.assertj.core.groups.Tuple.tuple(6, 17));
        assertThat(r.errors().getFirst().message()).startsWith("% Invalid input detected at '^' marker: a level is 0-7");
        assertThat(r.config().hostname()).contains("StillLoaded");
        assertThat(r.config().logging()).isEqualTo(Logging.DEFAULT);
    }

    @Test
    void theSeedHubsNoLoggingOnIsReadAndKept() throws Exception {
        RouterConfig hub = ConfigLoader.load(Files.readString(Path.of("examples/seed/hub.cfg"))).config();
        assertThat(hub.logging().on()).isFalse();
        assertThat(ConfigWriter.write(hub)).contains("no logging on\n");
        assertThat(hub.logging().hosts()).isEmpty();
        assertThat(Optional.of(hub.logging().trap())).isPresent();
    }
}
