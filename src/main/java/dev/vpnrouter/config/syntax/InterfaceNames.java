package dev.vpnrouter.config.syntax;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * IOS interface names: a type, abbreviated to any unambiguous prefix ({@code fa0/0}, {@code gi1/0/1},
 * {@code lo0}), followed by a number like {@code 0}, {@code 0/1}, {@code 1/0/2.100} or {@code 0:1}.
 */
public final class InterfaceNames {
    private static final List<String> TYPES = List.of(
            "Async", "ATM", "BRI", "BVI", "Cellular", "Dialer", "Ethernet", "FastEthernet", "GigabitEthernet",
            "Loopback", "Multilink", "Null", "Port-channel", "Serial", "TenGigabitEthernet", "Tunnel",
            "Virtual-Access", "Virtual-Template", "Vlan");
    private static final Pattern NUMBER = Pattern.compile("\\d+(/\\d+)*(\\.\\d+)?(:\\d+)?");

    private InterfaceNames() {
    }

    /** Canonical name (e.g. {@code FastEthernet0/0}) for {@code text}, or null when it is not an interface name. */
    public static String canonical(String text) {
        int split = 0;
        while (split < text.length() && !Character.isDigit(text.charAt(split))) {
            split++;
        }
        if (split == 0 || split == text.length()) {
            return null;
        }
        String type = type(text.substring(0, split));
        String number = text.substring(split);
        if (type == null || !NUMBER.matcher(number).matches()) {
            return null;
        }
        return type + number;
    }

    /** The full type name for an unambiguous prefix, case-insensitively; null when unknown or ambiguous. */
    static String type(String prefix) {
        String lower = prefix.toLowerCase(Locale.ROOT);
        String found = null;
        for (String t : TYPES) {
            String tl = t.toLowerCase(Locale.ROOT);
            if (tl.equals(lower)) {
                return t;
            }
            if (tl.startsWith(lower)) {
                if (found != null) {
                    return null;
                }
                found = t;
            }
        }
        return found;
    }
}
