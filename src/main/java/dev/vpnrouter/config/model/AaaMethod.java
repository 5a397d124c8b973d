package dev.vpnrouter.config.model;

import java.util.Optional;

/** One method of an AAA method list: {@code local}, {@code group radius}, {@code none}, ... */
public record AaaMethod(Kind kind, Optional<String> group) {
    public enum Kind {
        LOCAL("local"),
        LOCAL_CASE("local-case"),
        GROUP("group"),
        NONE("none"),
        ENABLE("enable"),
        LINE("line"),
        IF_AUTHENTICATED("if-authenticated");

        private final String keyword;

        Kind(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }

    public static AaaMethod of(Kind kind) {
        return new AaaMethod(kind, Optional.empty());
    }

    public static AaaMethod group(String name) {
        return new AaaMethod(Kind.GROUP, Optional.of(name));
    }

    /**
     * Whether a method list asks AAA servers ({@code group ...} anywhere in it): the one predicate the checker and
     * the engine share. For {@code aaa authorization network}, a group not configured here is then asked of the
     * servers: {@code local} has no such group and passes to the next method, so {@code local group radius} asks
     * RADIUS as {@code group radius} does.
     */
    public static boolean asksServers(java.util.List<AaaMethod> methods) {
        return methods.stream().anyMatch(m -> m.kind() == Kind.GROUP);
    }

    /** The IOS spelling, e.g. {@code group radius}. */
    public String text() {
        return group.map(g -> "group " + g).orElse(kind.keyword());
    }
}
