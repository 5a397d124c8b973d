package dev.vpnrouter.router;

import dev.vpnrouter.config.model.Interface;
import dev.vpnrouter.config.model.InterfaceAddress;
import dev.vpnrouter.config.model.Logging;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.ike.IkeEngine;
import dev.vpnrouter.syslog.IosMessages;
import dev.vpnrouter.syslog.MessageLog;
import dev.vpnrouter.syslog.RouterMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The router's messages on Linux: a {@link MessageLog} fed by the runtime (engine, data plane, start and stop),
 * syslog datagrams through a non-blocking {@link SyslogSender}, the local log through logback (logger
 * {@code vpnrouter.messages}, at the level matching each message's severity), the terminals through whatever the
 * exec CLI sets ({@link #terminalTo}). Everything but {@link #terminalTo} runs on the runtime's loop thread.
 */
public final class RouterLogging implements MessageLog.Sinks, AutoCloseable {
    private static final Logger LOCAL = LoggerFactory.getLogger("vpnrouter.messages");

    private final MessageLog log;
    private SyslogSender sender;
    private volatile Consumer<String> terminal = line -> { };

    private RouterLogging(RouterConfig config, SyslogSender sender) {
        this.sender = sender;
        this.log = new MessageLog(config, System.currentTimeMillis(), this);
    }

    /**
     * Starts logging the runtime's messages as {@code config} says, opening the syslog socket in the calling
     * thread's network namespace, and logs %CRYPTO-6-ISAKMP_ON_OFF: ISAKMP is ON. {@code dataPlaneRateLimited}
     * counts the messages the data plane held back (the engine's own are added here).
     */
    public static RouterLogging attach(RouterRuntime runtime, RouterConfig config, LongSupplier dataPlaneRateLimited)
            throws IOException {
        RouterLogging logging = new RouterLogging(config, SyslogSender.open(sourceAddress(config)));
        IkeEngine engine = runtime.query(e -> e);
        // Read by show logging, which runs on the loop thread: the engine's count may be read there.
        logging.log.rateLimitedFrom(() -> engine.messagesRateLimited() + dataPlaneRateLimited.getAsLong());
        runtime.addMessageListener(m -> logging.log.log(m, System.currentTimeMillis()));
        runtime.message(IosMessages.isakmp(true));
        return logging;
    }

    /** The address of {@code logging source-interface} when it has a static one; 0 (any) otherwise. */
    static int sourceAddress(RouterConfig config) {
        return config.logging().sourceInterface().flatMap(config::iface).map(Interface::address)
                .map(a -> a instanceof InterfaceAddress.Static s ? s.address() : 0).orElse(0);
    }

    /** The log itself ({@code show logging}); touch it on the loop thread only. */
    public MessageLog messages() {
        return log;
    }

    /** Where lines for the console and {@code terminal monitor} sessions go from now on. */
    public void terminalTo(Consumer<String> sink) {
        this.terminal = sink;
    }

    /** {@code configure terminal} changed the running configuration: levels, hosts, source address. */
    public void configure(RouterConfig config) {
        log.configure(config);
        int source = sourceAddress(config);
        if (source != sender.sourceAddress()) {
            try {
                SyslogSender fresh = SyslogSender.open(source);
                sender.close();
                sender = fresh;
            } catch (IOException e) {
                LOCAL.warn("vpnrouter: logging source-interface: cannot send from that address ({}); keeping the "
                        + "previous source", e.getMessage());
            }
        }
    }

    @Override
    public void terminal(String line) {
        terminal.accept(line);
    }

    @Override
    public boolean datagram(Logging.Host host, byte[] payload) {
        return sender.send(host.address(), host.port(), payload);
    }

    @Override
    public void local(RouterMessage message, String line) {
        switch (message.severity()) {
            case EMERGENCIES, ALERTS, CRITICAL, ERRORS -> LOCAL.error(line);
            case WARNINGS -> LOCAL.warn(line);
            case NOTIFICATIONS, INFORMATIONAL -> LOCAL.info(line);
            case DEBUGGING -> LOCAL.debug(line);
        }
    }

    @Override
    public void close() throws IOException {
        sender.close();
    }
}
