package dev.vpnrouter.router;

import dev.vpnrouter.common.Ipv4;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of the Linux interfaces the router could use: each interface's IPv4 addresses and the interface of
 * the IPv4 default route (what a DHCP client installs). Read in the calling thread's network namespace.
 *
 * @param addresses            IPv4 addresses by interface name, in the kernel's order (loopback left out)
 * @param defaultRouteInterface the interface of the default route with the lowest metric, or null
 */
public record LinuxInterfaces(Map<String, List<Integer>> addresses, String defaultRouteInterface) {
    public LinuxInterfaces {
        Map<String, List<Integer>> copy = new LinkedHashMap<>();
        addresses.forEach((name, list) -> copy.put(name, List.copyOf(list)));
        addresses = Collections.unmodifiableMap(copy);
    }

    /** The system's interfaces now (the JDK asks the kernel through netlink; no process is started). */
    public static LinuxInterfaces read() throws IOException {
        Map<String, List<Integer>> addresses = new LinkedHashMap<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isLoopback()) {
                continue;
            }
            addresses.put(nic.getName(), ipv4Of(nic));
        }
        return new LinuxInterfaces(addresses, defaultRouteInterface(readRouteTable()));
    }

    /** The IPv4 addresses of one interface now; empty when it has none or does not exist. */
    public static List<Integer> addressesOf(String linuxName) throws IOException {
        NetworkInterface nic = NetworkInterface.getByName(linuxName);
        return nic == null ? List.of() : ipv4Of(nic);
    }

    private static List<Integer> ipv4Of(NetworkInterface nic) {
        List<Integer> out = new ArrayList<>();
        for (InterfaceAddress a : nic.getInterfaceAddresses()) {
            InetAddress inet = a.getAddress();
            if (inet instanceof Inet4Address) {
                out.add(Ipv4.fromBytes(inet.getAddress(), 0));
            }
        }
        return out;
    }

    public boolean exists(String linuxName) {
        return addresses.containsKey(linuxName);
    }

    /** The IPv4 addresses this snapshot holds for {@code linuxName} (empty when none or unknown). */
    public List<Integer> addressesOn(String linuxName) {
        return addresses.getOrDefault(linuxName, List.of());
    }

    /** The interface holding {@code address}, or null. */
    public String holding(int address) {
        for (Map.Entry<String, List<Integer>> e : addresses.entrySet()) {
            if (e.getValue().contains(address)) {
                return e.getKey();
            }
        }
        return null;
    }

    private static String readRouteTable() {
        // thread-self: the namespace of this thread, which differs from the process's inside NetNamespace.call.
        for (String file : List.of("/proc/thread-self/net/route", "/proc/net/route")) {
            try {
                return Files.readString(Path.of(file));
            } catch (IOException e) {
                // try the next
            }
        }
        return "";
    }

    /** From {@code /proc/net/route} text: the interface of the 0.0.0.0/0 route with the lowest metric, or null. */
    static String defaultRouteInterface(String procNetRoute) {
        String best = null;
        long bestMetric = Long.MAX_VALUE;
        for (String line : procNetRoute.split("\n")) {
            String[] f = line.trim().split("\\s+");
            // Iface Destination Gateway Flags RefCnt Use Metric Mask ...
            if (f.length < 8 || f[0].equals("Iface")) {
                continue;
            }
            try {
                boolean up = (Integer.parseInt(f[3], 16) & 0x1) != 0;
                if (up && Long.parseLong(f[1], 16) == 0 && Long.parseLong(f[7], 16) == 0) {
                    long metric = Long.parseLong(f[6]);
                    if (metric < bestMetric) {
                        best = f[0];
                        bestMetric = metric;
                    }
                }
            } catch (NumberFormatException e) {
                // not a route line
            }
        }
        return best;
    }
}
