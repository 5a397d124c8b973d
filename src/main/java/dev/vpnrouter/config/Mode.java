package dev.vpnrouter.config;

/**
 * IOS configuration modes; each has its own command tree and the name IOS shows in the prompt,
 * {@code Hub(config-isakmp)#}. Every mode but GLOBAL is entered by a global command of the grammar.
 */
public enum Mode {
    GLOBAL("config"),
    KEYRING("conf-keyring"),
    ISAKMP_POLICY("config-isakmp"),
    ISAKMP_PROFILE("conf-isa-prof"),
    CLIENT_GROUP("config-isakmp-group"),
    TRANSFORM_SET("cfg-crypto-trans"),
    MAP_ENTRY("config-crypto-map"),
    INTERFACE("config-if"),
    ACL_STANDARD("config-std-nacl"),
    ACL_EXTENDED("config-ext-nacl"),
    LINE("config-line"),
    RADIUS_SERVER("config-radius-server"),
    /**
     * Under the header of a feature vpnrouter does not implement: indented lines are kept as its body. Its prompt
     * is the header's, declared with it in {@link OutOfScopeCommands}.
     */
    OUT_OF_SCOPE(null);

    private final String prompt;

    Mode(String prompt) {
        this.prompt = prompt;
    }

    /** The mode's name in the prompt; null for {@link #OUT_OF_SCOPE}, whose header names it. */
    public String prompt() {
        return prompt;
    }
}
