package dev.vpnrouter.policy;

/**
 * A server's Access-Challenge to a login (RFC 2865 section 4.4; token cards asking for the next passcode): neither
 * yes nor no, but "ask the user this and send me the answer with my State". Xauth turns it into another REQUEST
 * showing {@code message}; the answer goes back to the same {@code group} as a new Access-Request carrying
 * {@code state}, and only that group decides (no other method of the list is tried).
 *
 * @param group   the RADIUS group whose server challenged
 * @param message the Reply-Message text for the user (printable, at most {@link #MAX_MESSAGE} characters)
 * @param state   the State attribute to echo, or an empty array when the server sent none
 */
public record LoginChallenge(String group, String message, byte[] state) {
    /** The longest prompt we pass on to a client; a longer Reply-Message is cut. */
    public static final int MAX_MESSAGE = 512;

    public LoginChallenge {
        state = state == null ? new byte[0] : state.clone();
        message = printable(message == null ? "" : message);
    }

    @Override
    public byte[] state() {
        return state.clone();
    }

    /** The server's text made safe to show: control characters other than newline become spaces, and bounded. */
    private static String printable(String text) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_MESSAGE));
        for (int i = 0; i < text.length() && b.length() < MAX_MESSAGE; i++) {
            char c = text.charAt(i);
            b.append(c == '\n' || c >= 0x20 && c != 0x7f ? c : ' ');
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "LoginChallenge[group=" + group + ", message=" + message + "]";
    }
}
