package dev.vpnrouter.policy;

import dev.vpnrouter.config.model.AaaMethod;

import java.util.List;

/**
 * How an {@code aaa authentication login} method list decides, for Xauth and for vty logins alike: the methods in
 * order, the next one tried only when this one could not answer (ERROR), never when it said no (FAIL). As IOS:
 * {@code local} with an empty user database is an ERROR, an unknown user with users configured is a FAIL;
 * {@code none} passes; {@code group NAME} asks that RADIUS group (an Access-Reject is a FAIL, no server answering
 * an ERROR). A method the caller cannot serve (RADIUS for Xauth today, {@code if-authenticated}) fails closed
 * here; {@code ConfigChecker} reports it at load.
 */
public final class LoginMethods {
    private LoginMethods() {
    }

    /** What one method says. */
    public enum Result {
        PASS,
        FAIL,
        /** The method could not answer: the next method decides. */
        ERROR
    }

    /** The checks behind each kind of method, as the caller (Xauth, vty login) can make them. */
    public interface Checks {
        /** {@code local} ({@code caseSensitive} false) or {@code local-case}. */
        Result local(boolean caseSensitive);

        /** {@code line}: the line password; the engine has no line, so its default is an ERROR. */
        default Result line() {
            return Result.ERROR;
        }

        /** {@code enable}: the enable secret or password; ERROR when neither is set. */
        default Result enable() {
            return Result.ERROR;
        }

        /** {@code group NAME}: a RADIUS group; a caller without a RADIUS client fails closed. */
        default Result group(String name) {
            return Result.FAIL;
        }
    }

    /** True when the list lets the login in; an empty list lets no one in. */
    public static boolean run(List<AaaMethod> methods, Checks checks) {
        for (AaaMethod m : methods) {
            Result r = switch (m.kind()) {
                case LOCAL -> checks.local(false);
                case LOCAL_CASE -> checks.local(true);
                case NONE -> Result.PASS;
                case LINE -> checks.line();
                case ENABLE -> checks.enable();
                case GROUP -> checks.group(m.group().orElse("radius"));
                case IF_AUTHENTICATED -> Result.FAIL;
            };
            if (r != Result.ERROR) {
                return r == Result.PASS;
            }
        }
        return false;
    }
}
