package dev.vpnrouter.app;

import dev.vpnrouter.cli.EngineRouter;
import dev.vpnrouter.cli.remote.EngineThread;
import dev.vpnrouter.cli.remote.ExecServers;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.ike.IkeEffect;
import dev.vpnrouter.ike.IkeEngine;
import dev.vpnrouter.router.LinuxDataPlane;
import dev.vpnrouter.router.RouterLogging;
import dev.vpnrouter.router.RouterRuntime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * {@code vpnrouter run}'s exec CLI: the SSH vty server and the console's control socket over the running
 * engine. Every session's work runs on the runtime's loop thread, where the engine and the data plane live.
 */
public final class ExecCli {
    /** Where {@code run} and {@code console} meet by default: one socket per router, named after its hostname. */
    public static final Path SOCKET_DIRECTORY = Path.of("/run/vpnrouter");
    public static final Path DEFAULT_HOST_KEY = Path.of("/var/lib/vpnrouter/ssh_host_ec_key");

    private ExecCli() {
    }

    /**
     * {@code /run/vpnrouter/HOSTNAME.sock}: routers in different network namespaces share one file system, so each
     * gets its own console socket ({@code vpnrouter console Hub}; the name is the hostname, case and all). IOS's default hostname is {@code Router}.
     */
    public static Path defaultSocket(RouterConfig config) {
        return socketOf(config.hostname().orElse("Router"));
    }

    /** The default socket of the router with this hostname. */
    public static Path socketOf(String hostname) {
        return SOCKET_DIRECTORY.resolve(hostname.replaceAll("[^A-Za-z0-9._-]", "_") + ".sock");
    }

    /**
     * Starts the transports; a control socket that cannot be bound is reported and left out (the router runs
     * on), an SSH port that cannot be bound fails the start.
     *
     * @param configFile where {@code write memory} saves (null: nowhere)
     * @param sshAddress where SSH listens; null for every address, as IOS's vty lines
     * @param sshPort -1 for no SSH server
     * @param socket  null for no control socket
     * @param logging the router's message log ({@code show logging}; its console lines go to the sessions)
     */
    public static ExecServers start(RouterRuntime runtime, LinuxDataPlane esp, RouterLogging logging,
            RouterConfig config, Path configFile, String sshAddress, int sshPort, Path socket, Path hostKey,
            boolean debug) throws IOException {
        return start(runtime, router(runtime, esp, logging, config, configFile, debug), logging, sshAddress, sshPort,
                socket, hostKey);
    }

    /**
     * The running router the sessions see and change; {@code run} keeps it too, so a reload (SIGHUP) goes through
     * the same {@code reconfigure} as {@code configure terminal}.
     *
     * @param configFile where {@code write memory} saves (null: nowhere)
     * @param logging    the router's message log: {@code show logging}, and a new configuration's logging commands
     */
    public static EngineRouter router(RouterRuntime runtime, LinuxDataPlane esp, RouterLogging logging,
            RouterConfig config, Path configFile, boolean debug) {
        IkeEngine engine = runtime.query(e -> e);
        EngineRouter router = new EngineRouter(config, engine, esp.dataPlane(), action -> action.accept(engine),
                System.currentTimeMillis()).alwaysDebug(debug).cryptoMapSink(esp::setCryptoMap)
                .messageLog(logging.messages(), logging::configure);
        if (configFile != null) {
            router.configStore(text -> ConfigFile.save(configFile, text));
        }
        return router;
    }

    /**
     * Starts the transports over {@code router} (from {@link #router}); the rules of the other {@code start}. The
     * log lines {@code logging console} passes go to the console and {@code terminal monitor} sessions.
     */
    public static ExecServers start(RouterRuntime runtime, EngineRouter router, RouterLogging logging,
            String sshAddress, int sshPort, Path socket, Path hostKey) throws IOException {
        EngineThread thread = new EngineThread() {
            @Override
            public <T> T call(Supplier<T> work) {
                return runtime.query(e -> work.get());
            }
        };
        if (hostKey.getParent() != null && sshPort >= 0) {
            java.nio.file.Files.createDirectories(hostKey.getParent());
        }
        ExecServers servers;
        try {
            servers = ExecServers.start(new dev.vpnrouter.cli.ExecHub(router, router), thread,
                    new ExecServers.Options(sshAddress, sshPort, hostKey, socket), runtime.radius());
        } catch (IOException e) {
            if (socket == null) {
                throw e;
            }
            System.err.println("vpnrouter: no console socket: " + e.getMessage());
            servers = ExecServers.start(new dev.vpnrouter.cli.ExecHub(router, router), thread,
                    new ExecServers.Options(sshAddress, sshPort, hostKey, null), runtime.radius());
        }
        ExecServers s = servers;
        logging.terminalTo(s.hub()::logLine);
        runtime.addEffectListener(effect -> {
            if (effect instanceof IkeEffect.Debug d) {
                s.hub().debugLine(d.category(), d.line(), System.currentTimeMillis());
            }
        });
        return servers;
    }
}
