package dev.vpnrouter.app;

import dev.vpnrouter.cli.RouterControl;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.Diagnostic;
import dev.vpnrouter.config.ParseResult;
import dev.vpnrouter.config.Severity;
import dev.vpnrouter.config.model.Interface;
import dev.vpnrouter.config.model.InterfaceAddress;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.ike.cfg.ConfigPolicy;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code systemctl reload vpnrouter@NAME} (SIGHUP): {@code run} reads its {@code --config} file again and applies
 * it as IOS's {@code configure replace} would, through the same {@link RouterControl#reconfigure} as
 * {@code configure terminal}: new negotiations use the new file, SAs that are up stay. A file with errors is refused
 * as a whole, with the IOS-style diagnostics, and the running configuration stays: a half-applied file would leave
 * the router running neither the old configuration nor the new one. So is a file that moves the outside interface
 * or its address, which the sockets are bound to: that takes a restart.
 */
final class ConfigReload {
    private final Path file;
    private final RouterControl router;
    private final Consumer<Runnable> onLoop;
    private final PrintStream err;
    private final Consumer<String> log;
    private final Supplier<RouterConfig> running;

    /**
     * @param running the running configuration, read on the loop: what the file started with, or what
     *                {@code configure terminal} or an earlier reload made of it
     * @param onLoop  runs work on the thread that owns the engine and waits for it (the runtime's loop)
     */
    ConfigReload(Path file, Supplier<RouterConfig> running, RouterControl router, Consumer<Runnable> onLoop,
            PrintStream err, Consumer<String> log) {
        this.file = file;
        this.running = running;
        this.router = router;
        this.onLoop = onLoop;
        this.err = err;
        this.log = log;
    }

    /** Reads the file and applies it, or refuses it saying why; true when applied. One reload at a time. */
    synchronized boolean reload() {
        ParseResult parsed;
        try {
            parsed = ConfigLoader.load(file);
        } catch (IOException e) {
            return refuse("cannot read " + file + ": " + e.getMessage());
        }
        long errors = report(ConfigReport.diagnostics(parsed), file, err);
        if (errors > 0) {
            return refuse(errors + " error(s) in " + file);
        }
        RouterConfig next = parsed.config();
        RouterConfig before = running.get();
        String moved = outsideChange(before, next);
        if (moved != null) {
            return refuse(moved + "; restart to apply it (systemctl restart)");
        }
        long now = System.currentTimeMillis();
        onLoop.accept(() -> router.reconfigure(next, now));
        String hostnameNote = Objects.equals(before.hostname(), next.hostname()) ? ""
                : " (the console socket keeps the old hostname's name until a restart)";
        log.accept("vpnrouter: reloaded " + file + ": new negotiations use it, SAs that are up stay" + hostnameNote);
        return true;
    }

    private boolean refuse(String why) {
        err.println("vpnrouter: reload refused: " + why + "; the running configuration stays");
        return false;
    }

    /**
     * What the new file changes about the interface the sockets are bound to, or null: the crypto map's interface,
     * and its static address (a DHCP address is the system's, and {@code run} follows it anyway).
     */
    static String outsideChange(RouterConfig running, RouterConfig next) {
        String before = new ConfigPolicy(running).outsideInterface();
        String after = new ConfigPolicy(next).outsideInterface();
        if (after == null) {
            return "no interface carries a crypto map";
        }
        if (!after.equals(before)) {
            return "the crypto map moved from " + before + " to " + after;
        }
        InterfaceAddress was = running.iface(before).map(Interface::address).orElse(null);
        InterfaceAddress is = next.iface(after).map(Interface::address).orElse(null);
        boolean wasStatic = was instanceof InterfaceAddress.Static;
        boolean isStatic = is instanceof InterfaceAddress.Static;
        if (wasStatic != isStatic
                || wasStatic && ((InterfaceAddress.Static) was).address() != ((InterfaceAddress.Static) is).address()) {
            return "the address of " + after + " changed";
        }
        return null;
    }

    /**
     * Errors with their caret block and warnings, IOS style, as {@code run} prints them at start; notes only counted.
     * Returns the error count.
     */
    static long report(List<Diagnostic> diagnostics, Path file, PrintStream err) {
        long errors = 0;
        long notes = 0;
        for (Diagnostic d : diagnostics) {
            if (d.severity() == Severity.NOTE) {
                notes++;
                continue;
            }
            err.println(d.format(file.toString()));
            if (d.isError()) {
                errors++;
                if (!d.caretBlock().isEmpty()) {
                    err.println(d.caretBlock());
                }
            }
        }
        if (notes > 0) {
            err.println("vpnrouter: " + notes + " line(s) of " + file + " not acted on (vpnrouter check " + file
                    + " lists them)");
        }
        return errors;
    }

    /**
     * Runs {@code reload} for every SIGHUP from now on; false when the JVM keeps the signal to itself (-Xrs, or
     * HUP ignored when the JVM started, as under nohup).
     */
    static boolean onSighup(Runnable reload) {
        try {
            // A HUP ignored at JVM start stays ignored: the JVM answers with SIG_IGN and never calls us.
            return sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> reload.run())
                    != sun.misc.SignalHandler.SIG_IGN;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
