package dev.vpnrouter.common;

/** Whether a string from the network is a DNS name before it goes into resolver files. */
public final class DnsName {
    /** RFC 1035 2.3.4: 255 octets on the wire, so at most 253 characters written out without the root dot. */
    private static final int MAX_LENGTH = 253;
    private static final int MAX_LABEL = 63;

    private DnsName() {
    }

    /** Letters, digits and hyphens in dot-separated labels of 1 to 63 characters, 253 characters at most. */
    public static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
            return false;
        }
        int label = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.') {
                if (label == 0) {
                    return false;
                }
                label = 0;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-') {
                if (++label > MAX_LABEL) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return label > 0;
    }
}
