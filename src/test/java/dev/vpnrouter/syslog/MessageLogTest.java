package dev.vpnrouter.syslog;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.model.Logging;
import dev.vpnrouter.config.model.RouterConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MessageLogTest {
    /** 2026-12-05 12:27:30.123 UTC. */
    private static final long NOW = 1_796_473_650_123L;

    private final List<String> terminal = new ArrayList<>();
    private final List<String> datagrams = new ArrayList<>();
    private final List<String> local = new ArrayList<>();
    private boolean senderFull;

    private MessageLog log(String... config) {
        RouterConfig c = ConfigLoader.load(String.join("\n", config) + "\n").config();
        return new MessageLog(c, NOW - 60_000, new MessageLog.Sinks() {
            @Override
            public void terminal(String line) {
                terminal.add(line);
            }

            @Override
            public boolean datagram(Logging.Host host, byte[] payload) {
                if (senderFull) {
                    return false;
                }
                datagrams.add(Ipv4.format(host.address()) + ":" + host.port() + " "
                        + new String(payload, StandardCharsets.UTF_8));
                return true;
            }

            @Override
            public void local(RouterMessage message, String line) {
                local.add(line);
            }
        });
    }

    private static final RouterMessage UP = IosMessages.tunnelUp("198.51.100.2", 500, "198.51.100.2");
    private static final RouterMessage REPLAY = IosMessages.replay(3, 17);
    private static final RouterMessage ON = IosMessages.isakmp(true);

    @Test
    void eachDestinationTakesItsLevelAndBelow() {
        MessageLog log = log("service timestamps log datetime msec", "logging console warnings",
                "logging buffered notifications", "logging trap informational", "logging host 192.0.2.10");
        log.log(UP, NOW);      // 5
        log.log(REPLAY, NOW);  // 4
        log.log(ON, NOW);      // 6
        assertThat(terminal).containsExactly("*Dec  5 12:27:30.123: %CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check "
                + "failed connection id=3, sequence number=17");
        assertThat(log.buffered()).hasSize(2);
        assertThat(datagrams).hasSize(3);
        assertThat(local).as("logback gets everything").hasSize(3);
    }

    @Test
    void noLoggingOnLeavesOnlyTheConsole() {
        MessageLog log = log("no logging on", "logging host 192.0.2.10");
        log.log(UP, NOW);
        assertThat(terminal).hasSize(1);
        assertThat(log.buffered()).isEmpty();
        assertThat(datagrams).isEmpty();
        assertThat(local).hasSize(1);
    }

    @Test
    void rfc3164AsIosSendsItWithPriFromTheFacility() {
        MessageLog log = log("service timestamps log datetime msec", "logging host 192.0.2.10",
                "logging host 192.0.2.11 transport udp port 5514");
        log.log(UP, NOW);
        log.log(REPLAY, NOW + 1);
        assertThat(datagrams).containsExactly(
                "192.0.2.10:514 <189>1: *Dec  5 12:27:30.123: %CRYPTO-5-SESSION_STATUS: Crypto tunnel is UP.  Peer "
                        + "198.51.100.2:500  Id: 198.51.100.2",
                "192.0.2.11:5514 <189>1: *Dec  5 12:27:30.123: %CRYPTO-5-SESSION_STATUS: Crypto tunnel is UP.  Peer "
                        + "198.51.100.2:500  Id: 198.51.100.2",
                "192.0.2.10:514 <188>2: *Dec  5 12:27:30.124: %CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed "
                        + "connection id=3, sequence number=17",
                "192.0.2.11:5514 <188>2: *Dec  5 12:27:30.124: %CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed "
                        + "connection id=3, sequence number=17");
        datagrams.clear();
        log("logging facility local0", "logging host 192.0.2.10").log(UP, NOW);
        assertThat(datagrams.getFirst()).startsWith("192.0.2.10:514 <133>1: ");
    }

    @Test
    void rfc5424WhenAsked() {
        log("hostname Hub", "logging trap syslog-format rfc5424", "logging host 192.0.2.10").log(UP, NOW);
        assertThat(datagrams).containsExactly("192.0.2.10:514 <189>1 2026-12-05T12:27:30.123Z Hub vpnrouter - "
                + "CRYPTO-5-SESSION_STATUS [meta sequenceId=\"1\"] %CRYPTO-5-SESSION_STATUS: Crypto tunnel is UP.  "
                + "Peer 198.51.100.2:500  Id: 198.51.100.2");
    }

    @Test
    void theBufferKeepsTheNewestLinesThatFitItsSize() {
        MessageLog log = log("logging buffered 4096");
        for (int i = 0; i < 100; i++) {
            log.log(IosMessages.replay(i, i), NOW + i);
        }
        int bytes = log.buffered().stream().mapToInt(l -> l.length() + 1).sum();
        assertThat(bytes).isLessThanOrEqualTo(4096).isGreaterThan(4096 - 120);
        assertThat(log.buffered().getLast()).endsWith("connection id=99, sequence number=99");
    }

    @Test
    void aDatagramTheSenderCannotTakeIsCountedAsDropped() {
        MessageLog log = log("logging host 192.0.2.10");
        senderFull = true;
        log.log(UP, NOW);
        assertThat(log.show()).startsWith("Syslog logging: enabled (1 messages dropped, 0 messages rate-limited,")
                .contains("              0 message lines logged,\n              0 message lines rate-limited,\n"
                        + "              1 message lines dropped,\n");
    }

    @Test
    void showLoggingInIosLayout() {
        MessageLog log = log("service timestamps log datetime msec", "logging buffered 8192 informational",
                "logging source-interface FastEthernet0/0", "logging host 192.0.2.10");
        log.rateLimitedFrom(() -> 7);
        log.log(ON, NOW);
        log.log(UP, NOW + 1500);
        assertThat(log.show()).isEqualTo("""
                Syslog logging: enabled (0 messages dropped, 7 messages rate-limited,
                                0 flushes, 0 overruns, xml disabled, filtering disabled)

                    Console logging: level debugging, 2 messages logged, xml disabled,
                                     filtering disabled
                    Monitor logging: level debugging, 2 messages logged, xml disabled,
                                     filtering disabled
                    Buffer logging:  level informational, 2 messages logged, xml disabled,
                                    filtering disabled
                    Count and timestamp logging messages: disabled
                    Persistent logging: disabled

                No active filter modules.

                    Trap logging: level informational, 2 message lines logged
                        Logging to 192.0.2.10  (udp port 514, audit disabled,
                              link up),
                              2 message lines logged,
                              0 message lines rate-limited,
                              0 message lines dropped,
                              xml disabled, sequence number disabled
                              filtering disabled
                        Logging Source-Interface:       VRF Name:
                        FastEthernet0/0

                Log Buffer (8192 bytes):

                *Dec  5 12:27:30.123: %CRYPTO-6-ISAKMP_ON_OFF: ISAKMP is ON
                *Dec  5 12:27:31.623: %CRYPTO-5-SESSION_STATUS: Crypto tunnel is UP.  Peer 198.51.100.2:500  Id: \
                198.51.100.2
                """);
    }

    @Test
    void aNewConfigurationTakesEffectAtOnce() {
        MessageLog log = log("logging buffered 8192");
        log.log(UP, NOW);
        log.configure(ConfigLoader.load("no logging buffered\nlogging host 192.0.2.10\n").config());
        log.log(UP, NOW);
        assertThat(log.buffered()).isEmpty();
        assertThat(datagrams).hasSize(1);
        assertThat(log.show()).contains("    Buffer logging:  disabled\n");
    }

    @Test
    void aLongMessageIsCutAt1024BytesOnTheWireAsRfc3164Allows() {
        MessageLog log = log("logging host 192.0.2.10");
        log.log(IosMessages.refused("198.51.100.2", "x".repeat(2000)), NOW);
        assertThat(datagrams.getFirst().length()).isEqualTo("192.0.2.10:514 ".length() + 1024);
        assertThat(log.buffered().getFirst()).as("the buffer keeps it whole").endsWith("x".repeat(2000));
    }
}
