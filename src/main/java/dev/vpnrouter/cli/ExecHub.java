package dev.vpnrouter.cli;

import dev.vpnrouter.syslog.IosMessages;
import dev.vpnrouter.syslog.MessageLog;
import dev.vpnrouter.syslog.Timestamps;
import dev.vpnrouter.config.model.LineBlock;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The exec side of one router: its sessions (console and vty lines, what {@code show users} lists), the global
 * debug switches ({@code debug crypto ...} is per router on IOS, {@code terminal monitor} per session) and the
 * fan-out of the engine's debug lines and the router's log lines to the sessions that watch them. Sans-IO: the
 * transport calls {@link #debugLine} with the engine's {@code IkeEffect.Debug} lines and the time, and
 * {@link #logLine} with log lines; sessions hand lines to the sink their transport gave them.
 */
public final class ExecHub {
    /** vty lines when the configuration has no {@code line vty}: IOS's 0 4. */
    static final int DEFAULT_VTYS = 5;

    private final RouterView view;
    private final RouterControl control;
    private final List<ExecSession> sessions = new ArrayList<>();
    private final Set<DebugCategory> debugging = EnumSet.noneOf(DebugCategory.class);

    /** The router's RADIUS client ({@code show aaa servers}, {@code test aaa}), or null where there is none. */
    private volatile dev.vpnrouter.radius.RadiusLogins radius;

    public ExecHub(RouterView view, RouterControl control) {
        this.view = view;
        this.control = control;
    }

    /** The RADIUS client the exec commands ask (the transports' own, or the router's one). */
    public void radius(dev.vpnrouter.radius.RadiusLogins client) {
        this.radius = client;
    }

    dev.vpnrouter.radius.RadiusLogins radius() {
        return radius;
    }

    RouterView view() {
        return view;
    }

    /** The running configuration (for the transports' login checks); call on the engine's thread. */
    public RouterConfig config() {
        return view.config();
    }

    RouterControl control() {
        return control;
    }

    /** The console line ({@code line con 0}): privileged at once when no enable password is set, as IOS. */
    public synchronized ExecSession openConsole(String location, long nowMillis) {
        ExecSession s = new ExecSession(this, ExecSession.Line.CONSOLE, 0, null, location, 1, nowMillis);
        sessions.add(s);
        return s;
    }

    /**
     * A vty line for a user who passed the line's login ({@code user} null for {@code login} with the line
     * password), or null when every vty line is busy.
     */
    public synchronized ExecSession openVty(String user, int privilege, String location, long nowMillis) {
        int lines = vtyCount();
        for (int i = 0; i < lines; i++) {
            boolean busy = false;
            for (ExecSession s : sessions) {
                busy |= s.line() == ExecSession.Line.VTY && s.lineIndex() == i;
            }
            if (!busy) {
                ExecSession s = new ExecSession(this, ExecSession.Line.VTY, i, user, location, privilege, nowMillis);
                sessions.add(s);
                return s;
            }
        }
        return null;
    }

    private int vtyCount() {
        int n = 0;
        for (LineBlock b : view.config().lines()) {
            if (b.kind() == LineBlock.Kind.VTY) {
                n = Math.max(n, b.last() + 1);
            }
        }
        return n == 0 ? DEFAULT_VTYS : n;
    }

    synchronized void closed(ExecSession session) {
        sessions.remove(session);
    }

    public synchronized List<ExecSession> sessions() {
        return Collections.unmodifiableList(new ArrayList<>(sessions));
    }

    synchronized Set<DebugCategory> debugging() {
        return EnumSet.copyOf(debugging);
    }

    synchronized void debug(DebugCategory category, boolean on) {
        if (on) {
            debugging.add(category);
        } else {
            debugging.remove(category);
        }
        control.debugging(debugging());
    }

    synchronized void undebugAll() {
        debugging.clear();
        control.debugging(debugging());
    }

    /** A debug line from the engine: to the console and every session with {@code terminal monitor}, if its category is on. */
    public void debugLine(DebugCategory category, String line, long nowMillis) {
        List<ExecSession> targets;
        synchronized (this) {
            if (!debugging.contains(category)) {
                return;
            }
            targets = new ArrayList<>(sessions);
        }
        String text = Timestamps.of(view.config(), "debug").prefix(nowMillis, nowMillis - view.startedAtMillis()) + line;
        monitor(targets, text);
    }

    /**
     * A log line, stamped already (the router's {@code MessageLog} passed it at {@code logging console}'s level): to
     * the console and every session with {@code terminal monitor}.
     */
    public void logLine(String line) {
        List<ExecSession> targets;
        synchronized (this) {
            targets = new ArrayList<>(sessions);
        }
        monitor(targets, line);
    }

    private static void monitor(List<ExecSession> targets, String text) {
        for (ExecSession s : targets) {
            if (s.monitor()) {
                s.monitorLine(text);
            }
        }
    }

    /** A session left configuration mode: IOS's %SYS-5-CONFIG_I, into the router's log when it has one. */
    void configured(ExecSession s, long nowMillis) {
        MessageLog log = view.messageLog();
        if (log != null) {
            log.log(s.line() == ExecSession.Line.CONSOLE ? IosMessages.configured("console", null, null)
                    : IosMessages.configured(s.user(), "vty" + s.lineIndex(), s.location()), nowMillis);
        }
    }
}
