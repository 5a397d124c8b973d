package dev.vpnrouter.app;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --interface FastEthernet0/0=eth0}: which Linux interface stands for which IOS interface. IOS names are
 * matched without regard to case, as IOS does; each IOS and each Linux name may appear once.
 */
record InterfaceMap(Map<String, String> iosToLinux) {
    InterfaceMap {
        iosToLinux = Collections.unmodifiableMap(new LinkedHashMap<>(iosToLinux));
    }

    /** Parses the option values; the message of the exception says which value is wrong and why. */
    static InterfaceMap parse(List<String> values) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String value : values) {
            int eq = value.indexOf('=');
            String ios = eq < 0 ? "" : value.substring(0, eq).strip();
            String linux = eq < 0 ? "" : value.substring(eq + 1).strip();
            if (ios.isEmpty() || linux.isEmpty() || linux.contains("=")) {
                throw new IllegalArgumentException("--interface takes IOS=LINUX (e.g. FastEthernet0/0=eth0), not '"
                        + value + "'");
            }
            if (linux.length() > 15 || linux.contains("/") || linux.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("'" + linux + "' is not a Linux interface name (at most 15 "
                        + "characters, no '/' or spaces)");
            }
            String key = ios.toLowerCase(Locale.ROOT);
            if (map.containsKey(key)) {
                throw new IllegalArgumentException("--interface maps " + ios + " twice");
            }
            if (map.containsValue(linux)) {
                throw new IllegalArgumentException("--interface maps two IOS interfaces to " + linux);
            }
            map.put(key, linux);
        }
        return new InterfaceMap(map);
    }

    /** The Linux interface for an IOS interface name, or null when unmapped. */
    String linuxFor(String iosName) {
        return iosToLinux.get(iosName.toLowerCase(Locale.ROOT));
    }
}
