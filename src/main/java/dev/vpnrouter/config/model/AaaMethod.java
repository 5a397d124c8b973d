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

    /** The IOS spelling, e.g. {@code group radius}. */
    public String text() {
        return group.map(g -> "group " + g).orElse(kind.keyword());
    }
}
