package dev.vpnrouter.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged logback.xml: the router's events and debug lines are on, libraries only warn. */
class LoggingConfigTest {
    @Test
    void routerLinesAreOnAndLibrariesOnlyWarn() {
        assertThat(LoggerFactory.getLogger("vpnrouter").isInfoEnabled()).isTrue();
        assertThat(LoggerFactory.getLogger("vpnrouter.debug").isInfoEnabled()).isTrue();
        assertThat(((Logger) LoggerFactory.getLogger("org.apache.sshd.server")).getEffectiveLevel())
                .isEqualTo(Level.WARN);
        assertThat(((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).getAppender("console"))
                .isNotNull();
    }

    @Test
    void aLineLoggedAsTheRouterDoesReachesAnAppenderUnchanged() {
        Logger router = (Logger) LoggerFactory.getLogger("vpnrouter.debug");
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        router.addAppender(captured);
        try {
            java.util.function.Consumer<String> sink = LoggerFactory.getLogger("vpnrouter.debug")::info;
            sink.accept("ISAKMP (0:1): received packet from 10.100.2.102 dport 500 sport 500 Global (R) QM_IDLE");
            assertThat(captured.list).extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly("ISAKMP (0:1): received packet from 10.100.2.102 dport 500 sport 500 Global (R) "
                            + "QM_IDLE");
        } finally {
            router.detachAppender(captured);
        }
    }
}
