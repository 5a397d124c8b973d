package dev.vpnrouter.syslog;

/**
 * One of the router's own messages, as IOS has them: {@code %CRYPTO-5-SESSION_STATUS: Crypto tunnel is UP ...}.
 * The engines and the data plane produce these records; only the host turns them into text (buffer, terminals,
 * syslog, logback), once. Code never decides anything by reading the text.
 *
 * @param facility IOS's facility code ({@code CRYPTO}, {@code SYS}), not the syslog facility of {@code logging facility}
 * @param mnemonic IOS's mnemonic ({@code SESSION_STATUS})
 */
public record RouterMessage(String facility, Severity severity, String mnemonic, String text) {
    /** {@code %CRYPTO-5-SESSION_STATUS: text}: how IOS prints it after the timestamp. */
    public String format() {
        return "%" + tag() + ": " + text;
    }

    /** {@code CRYPTO-5-SESSION_STATUS}. */
    public String tag() {
        return facility + "-" + severity.level() + "-" + mnemonic;
    }
}
