package dev.vpnrouter.interop;

import dev.vpnrouter.net.Command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Interop tests ({@link Interop}) never skip: when the machine cannot run them they fail, naming what is missing and
 * how to get it. Call these at the top of each test (or let the fixtures call them).
 */
public final class Prerequisites {
    /** Program name to the Debian package that installs it. */
    private static final Map<String, String> PACKAGES = new LinkedHashMap<>();

    static {
        PACKAGES.put("ip", "iproute2");
        PACKAGES.put("ping", "iputils-ping");
        PACKAGES.put("nsenter", "util-linux");
        PACKAGES.put("setpriv", "util-linux");
        PACKAGES.put("charon", "strongswan-charon");
        PACKAGES.put("swanctl", "strongswan-swanctl");
        PACKAGES.put("vpnc", "vpnc");
        PACKAGES.put("cisco-decrypt", "vpnc");
        PACKAGES.put("tshark", "tshark");
        PACKAGES.put("dnsmasq", "dnsmasq-base");
        PACKAGES.put("udhcpc", "udhcpc");
        PACKAGES.put("nft", "nftables");
        PACKAGES.put("ike-scan", "ike-scan");
        PACKAGES.put("iperf3", "iperf3");
        PACKAGES.put("ssh", "openssh-client");
        PACKAGES.put("freeradius", "freeradius");
        PACKAGES.put("rsyslogd", "rsyslog");
    }

    /** Where Debian puts charon: it is not on PATH. */
    public static final String CHARON = "/usr/lib/ipsec/charon";

    private Prerequisites() {
    }

    /** Fails unless the JVM runs as root (namespaces, TUN and raw sockets need it). */
    public static void requireRoot() {
        String uid = "?";
        try {
            uid = java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid").toString();
        } catch (Exception e) {
            // fall through with "?"
        }
        if (!"0".equals(uid)) {
            throw new AssertionError("interop tests need root (uid " + uid + "): they create network namespaces, "
                    + "TUN devices and raw sockets. Run `sudo ./mvnw -B verify -Pinterop`, as .ci/run does.");
        }
    }

    /** Fails unless root and every named program is installed; the message lists the packages to install. */
    public static void require(String... programs) {
        requireRoot();
        requireInstalled(programs);
    }

    /** For a test that runs a peer program but needs no root: fails unless every named program is installed. */
    public static void requireInstalled(String... programs) {
        List<String> missing = new ArrayList<>();
        List<String> packages = new ArrayList<>();
        for (String program : programs) {
            if (resolve(program) == null) {
                missing.add(program);
                String pkg = PACKAGES.getOrDefault(program, program);
                if (!packages.contains(pkg)) {
                    packages.add(pkg);
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new AssertionError("interop test needs " + String.join(", ", missing) + ", not installed here: "
                    + "apt-get install " + String.join(" ", packages) + " (or run .ci/run, which installs them)");
        }
    }

    /** Absolute path of a program the harness drives, or null when it is missing. */
    public static String resolve(String program) {
        if (program.equals("charon")) {
            return java.nio.file.Files.isExecutable(java.nio.file.Path.of(CHARON)) ? CHARON : null;
        }
        return Command.find(program);
    }
}
