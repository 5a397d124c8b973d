package dev.vpnrouter.router;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.model.Interface;
import dev.vpnrouter.config.model.InterfaceAddress;
import dev.vpnrouter.config.syntax.InterfaceNames;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which Linux interface stands for an IOS interface of the configuration. The first rule that names an existing
 * Linux interface wins:
 * <ol>
 *   <li>{@code --interface FastEthernet0/0=eth0} (the IOS name as IOS accepts it: {@code fa0/0} works too);</li>
 *   <li>a word of the interface's {@code description} that is the name of a Linux interface
 *       ({@code description Outside interface (eth1)});</li>
 *   <li>a Linux interface named after the IOS one, without case and with {@code -}, {@code _} or {@code .} for
 *       IOS's {@code /} and {@code .}: {@code fa0-0}, {@code fa0_0} or {@code fastethernet0-0} for
 *       {@code FastEthernet0/0};</li>
 *   <li>for {@code ip address A M}: the Linux interface that holds A;</li>
 *   <li>for {@code ip address dhcp}: the interface of the IPv4 default route (the one the DHCP client
 *       configured).</li>
 * </ol>
 * With a static address, the interface found by rules 1-3 must hold it: {@code run} does not configure addresses.
 */
public final class InterfaceMap {
    /** An IOS interface bound to a Linux one, and the rule that chose it (for the start-up summary). */
    public record Binding(String iosName, String linuxName, String rule) {
        @Override
        public String toString() {
            return iosName + "=" + linuxName;
        }
    }

    /** No Linux interface for an IOS interface; the message says what was tried and what to do. */
    public static final class Unmapped extends Exception {
        public Unmapped(String message) {
            super(message);
        }
    }

    private final Map<String, String> explicit;

    private InterfaceMap(Map<String, String> explicit) {
        this.explicit = Collections.unmodifiableMap(explicit);
    }

    /** No {@code --interface} options: only the default rules. */
    public static InterfaceMap defaults() {
        return new InterfaceMap(Map.of());
    }

    /**
     * Parses {@code --interface} values ({@code IOS=LINUX}); the exception's message says which value is wrong
     * and why.
     */
    public static InterfaceMap parse(List<String> values) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String value : values) {
            int eq = value.indexOf('=');
            String ios = eq < 0 ? "" : value.substring(0, eq).strip();
            String linux = eq < 0 ? "" : value.substring(eq + 1).strip();
            if (ios.isEmpty() || linux.isEmpty() || linux.contains("=")) {
                throw new IllegalArgumentException("--interface takes IOS=LINUX (e.g. FastEthernet0/0=eth0), not '"
                        + value + "'");
            }
            if (!isLinuxName(linux)) {
                throw new IllegalArgumentException("--interface " + value + ": '" + linux + "' is not a Linux "
                        + "interface name (1-15 characters, no '/', ':' or spaces)");
            }
            String key = key(ios);
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

    static boolean isLinuxName(String name) {
        return !name.isEmpty() && name.length() <= 15 && !name.equals(".") && !name.equals("..")
                && name.chars().noneMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c));
    }

    private static String key(String iosName) {
        String canonical = InterfaceNames.canonical(iosName.strip());
        return (canonical != null ? canonical : iosName.strip()).toLowerCase(Locale.ROOT);
    }

    /** Resolves {@code ios} against the system's interfaces by the rules above. */
    public Binding resolve(Interface ios, LinuxInterfaces system) throws Unmapped {
        String name = ios.name();
        String wanted = explicit.get(key(name));
        if (wanted != null) {
            if (!system.exists(wanted)) {
                throw new Unmapped("--interface " + name + "=" + wanted + ": there is no Linux interface " + wanted
                        + " (have: " + String.join(", ", system.addresses().keySet()) + ")");
            }
            return checked(ios, new Binding(name, wanted, "--interface"), system);
        }
        if (ios.description().isPresent()) {
            for (String word : ios.description().get().split("[\\s,;()\\[\\]{}\"']+")) {
                if (!word.isEmpty() && system.exists(word)) {
                    return checked(ios, new Binding(name, word, "description"), system);
                }
            }
        }
        List<String> alike = namesFor(name);
        for (String linux : system.addresses().keySet()) {
            if (alike.contains(normalize(linux))) {
                return checked(ios, new Binding(name, linux, "name"), system);
            }
        }
        switch (ios.address()) {
            case InterfaceAddress.Static s -> {
                String holder = system.holding(s.address());
                if (holder != null) {
                    return new Binding(name, holder, "address " + Ipv4.format(s.address()));
                }
                throw new Unmapped(name + " has address " + Ipv4.format(s.address()) + " in the configuration, but "
                        + "no Linux interface holds it: add it (ip addr add " + Ipv4.format(s.address()) + "/"
                        + Ipv4.prefixLength(s.mask()) + " dev IFNAME) or map " + name + " with --interface " + name
                        + "=IFNAME");
            }
            case InterfaceAddress.Dhcp d -> {
                String route = system.defaultRouteInterface();
                if (route != null && system.exists(route)) {
                    return new Binding(name, route, "default route");
                }
                throw new Unmapped(name + " takes its address from DHCP and no IPv4 default route shows which "
                        + "Linux interface that is (is its DHCP client running?): map it with --interface " + name
                        + "=IFNAME");
            }
            case InterfaceAddress.None n -> throw new Unmapped(name + " has no address: map it with --interface "
                    + name + "=IFNAME");
        }
    }

    /** With a static IOS address, the chosen Linux interface must already hold it. */
    private static Binding checked(Interface ios, Binding b, LinuxInterfaces system) throws Unmapped {
        if (ios.address() instanceof InterfaceAddress.Static s && !system.addressesOn(b.linuxName())
                .contains(s.address())) {
            List<String> held = new ArrayList<>();
            system.addressesOn(b.linuxName()).forEach(a -> held.add(Ipv4.format(a)));
            throw new Unmapped(b.iosName() + " has address " + Ipv4.format(s.address()) + " in the configuration, "
                    + "but " + b.linuxName() + " (chosen by " + b.rule() + ") holds " + (held.isEmpty() ? "none"
                    : String.join(", ", held)) + ": run does not configure addresses; add it or fix the "
                    + "configuration");
        }
        return b;
    }

    /** Normalized names a Linux interface may carry to stand for {@code iosName}: full and two-letter forms. */
    static List<String> namesFor(String iosName) {
        String full = normalize(iosName);
        int digit = 0;
        while (digit < iosName.length() && !Character.isDigit(iosName.charAt(digit))) {
            digit++;
        }
        String type = iosName.substring(0, digit);
        String number = iosName.substring(digit);
        String shortForm = normalize(type.length() > 2 ? type.substring(0, 2) + number : iosName);
        return full.equals(shortForm) ? List.of(full) : List.of(full, shortForm);
    }

    static String normalize(String name) {
        StringBuilder b = new StringBuilder();
        for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
            if (Character.isLetterOrDigit(c)) {
                b.append(c);
            } else if ("/-_.".indexOf(c) >= 0) {
                b.append('-'); // IOS's slot/port and dot separators, spelled as Linux allows
            }
        }
        return b.toString();
    }
}
