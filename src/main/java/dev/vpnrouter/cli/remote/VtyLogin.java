package dev.vpnrouter.cli.remote;

import dev.vpnrouter.config.model.AaaMethod;
import dev.vpnrouter.config.model.AaaMethodList;
import dev.vpnrouter.config.model.LineBlock;
import dev.vpnrouter.config.model.LocalUser;
import dev.vpnrouter.config.model.Password;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.policy.LoginMethods;

import java.util.List;
import java.util.Optional;

/**
 * Who may log in on a vty line, as IOS decides it from the configuration: with {@code aaa new-model} the line's
 * {@code login authentication LIST} (or the {@code default} list; with neither, the local user database); without
 * it, {@code login local} checks the users, {@code login} (the vty default) the line's {@code password}, and
 * {@code no login} lets anyone in. Passwords are checked with the configuration's verifiers (clear, type 7,
 * md5-crypt). Pure: no I/O.
 */
public final class VtyLogin {
    private VtyLogin() {
    }

    /** A login that passed: the user name (null for the line password) and the privilege it starts at. */
    public record Granted(String user, int privilege) {
    }

    /** Asks a RADIUS group (may wait: never called on the router's loop). */
    public interface Groups {
        /** No RADIUS client: a {@code group} method fails closed. */
        Groups NONE = (group, user, password) -> LoginMethods.Result.FAIL;

        LoginMethods.Result login(String group, String user, String password);
    }

    /** The result for {@code user}/{@code password} without RADIUS, or empty when refused. */
    public static Optional<Granted> check(RouterConfig config, String user, String password) {
        return check(config, user, password, Groups.NONE);
    }

    /**
     * The result for {@code user}/{@code password}, or empty when refused. A user RADIUS lets in starts at
     * privilege 1: vpnrouter has no {@code aaa authorization exec} to raise it.
     */
    public static Optional<Granted> check(RouterConfig config, String user, String password, Groups groups) {
        LineBlock vty = config.lines().stream().filter(l -> l.kind() == LineBlock.Kind.VTY).findFirst().orElse(null);
        if (config.aaa().newModel()) {
            String listName = vty == null ? "default" : vty.login()
                    .filter(l -> l.mode() == LineBlock.Login.Mode.AUTHENTICATION).flatMap(LineBlock.Login::list)
                    .orElse("default");
            List<AaaMethod> methods = config.aaa().authenticationLogin().stream()
                    .filter(l -> l.name().equals(listName)).findFirst().map(AaaMethodList::methods).orElse(null);
            if (methods == null) {
                return local(config, user, password);
            }
            Optional<Granted>[] granted = new Optional[] {Optional.empty()};
            boolean in = LoginMethods.run(methods, new LoginMethods.Checks() {
                @Override
                public LoginMethods.Result local(boolean caseSensitive) {
                    if (config.users().isEmpty()) {
                        return LoginMethods.Result.ERROR;
                    }
                    granted[0] = VtyLogin.local(config, user, password);
                    return result(granted[0]);
                }

                @Override
                public LoginMethods.Result line() {
                    if (vty == null || vty.password().isEmpty()) {
                        return LoginMethods.Result.ERROR;
                    }
                    granted[0] = VtyLogin.line(vty, password);
                    return result(granted[0]);
                }

                @Override
                public LoginMethods.Result enable() {
                    Optional<Password> p = config.enableSecret().isPresent() ? config.enableSecret()
                            : config.enablePassword();
                    if (p.isEmpty()) {
                        return LoginMethods.Result.ERROR;
                    }
                    granted[0] = p.get().matches(password) ? Optional.of(new Granted(user, 1)) : Optional.empty();
                    return result(granted[0]);
                }

                @Override
                public LoginMethods.Result group(String name) {
                    LoginMethods.Result r = groups.login(name, user, password);
                    granted[0] = r == LoginMethods.Result.PASS ? Optional.of(new Granted(user, 1)) : Optional.empty();
                    return r;
                }
            });
            if (!in) {
                return Optional.empty();
            }
            return granted[0].isPresent() ? granted[0] : Optional.of(new Granted(user, 1)); // none
        }
        LineBlock.Login.Mode mode = vty == null ? LineBlock.Login.Mode.LINE
                : vty.login().map(LineBlock.Login::mode).orElse(LineBlock.Login.Mode.LINE);
        return switch (mode) {
            case LOCAL -> local(config, user, password);
            case NONE -> Optional.of(new Granted(user, 1));
            case LINE, AUTHENTICATION -> line(vty, password);
        };
    }

    private static LoginMethods.Result result(Optional<Granted> g) {
        return g.isPresent() ? LoginMethods.Result.PASS : LoginMethods.Result.FAIL;
    }

    private static Optional<Granted> local(RouterConfig config, String user, String password) {
        Optional<LocalUser> u = config.user(user);
        if (u.isPresent() && u.get().password().matches(password)) {
            return Optional.of(new Granted(user, u.get().privilege().orElse(1)));
        }
        return Optional.empty();
    }

    /** {@code login}: the line's password; with none set, IOS refuses every login ("password required"). */
    private static Optional<Granted> line(LineBlock vty, String password) {
        if (vty != null && vty.password().isPresent() && vty.password().get().matches(password)) {
            return Optional.of(new Granted(null, 1));
        }
        return Optional.empty();
    }
}
