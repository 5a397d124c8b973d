package dev.vpnrouter.config;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.secret.Md5Crypt;
import dev.vpnrouter.config.secret.Type7;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Random but syntactically valid IOS configurations covering every modelled command, some passive ones, banners
 * and a few abbreviated spellings. Blocks come in random order. Deterministic for a given seed.
 */
final class ConfigGenerator {
    private final Random r;
    private final List<List<String>> blocks = new ArrayList<>();
    private int mapSeq = 1;
    private int aclNumber = 0;

    ConfigGenerator(long seed) {
        this.r = new Random(seed);
    }

    String config() {
        int n = 1 + r.nextInt(25);
        for (int i = 0; i < n; i++) {
            block();
        }
        Collections.shuffle(blocks, r);
        StringBuilder b = new StringBuilder();
        for (List<String> block : blocks) {
            block.forEach(l -> b.append(l).append('\n'));
            if (r.nextBoolean()) {
                b.append("!\n");
            }
        }
        return b.toString();
    }

    private void block() {
        switch (r.nextInt(22)) {
            case 0 -> add("hostname " + name());
            case 1 -> add(r.nextBoolean() ? "service password-encryption" : "no service password-encryption");
            case 2 -> user();
            case 3 -> aaa();
            case 4 -> radius();
            case 5 -> keyring();
            case 6 -> policy();
            case 7 -> isakmpKey();
            case 8 -> isakmpGlobal();
            case 9 -> group();
            case 10 -> profile();
            case 11 -> transformSet();
            case 12 -> add("crypto ipsec security-association lifetime " + (r.nextBoolean()
                    ? "seconds " + (120 + r.nextInt(86000)) : "kilobytes " + (2560 + r.nextInt(1_000_000))));
            case 13 -> mapEntry(true);
            case 14 -> mapEntry(false);
            case 15 -> iface();
            case 16 -> pool();
            case 17 -> numberedAcl();
            case 18 -> namedAcl();
            case 19 -> route();
            case 20 -> line();
            default -> add(pick("version 12.4", "service timestamps log datetime msec", "no ip domain lookup",
                    "ip cef", "ip subnet-zero", "no ip http server", "ip classless", "call rsvp-sync",
                    "dial-peer cor custom", "controller ISA 5/1", "mgcp profile default", "ntp server 10.0.0.1",
                    "logging buffered 4096", "banner motd ^C\nAuthorized " + word() + "\n  only\n^C",
                    "banner login #" + word() + "#"));
        }
    }

    // ---- pieces

    private void add(String... lines) {
        blocks.add(new ArrayList<>(List.of(lines)));
    }

    private String pick(String... options) {
        return options[r.nextInt(options.length)];
    }

    /** Names that cannot be mistaken for keywords (no keyword where a name goes starts with 'x'). */
    private String name() {
        return "x" + Integer.toString(r.nextInt(1 << 20), 36);
    }

    private String word() {
        StringBuilder s = new StringBuilder();
        int n = 1 + r.nextInt(8);
        for (int i = 0; i < n; i++) {
            s.append("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.()".charAt(r.nextInt(67)));
        }
        return s.toString();
    }

    private String key() {
        return "k" + word();
    }

    private String text() {
        StringBuilder s = new StringBuilder(word());
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            s.append(r.nextInt(4) == 0 ? "  " : " ").append(word());
        }
        return s.toString();
    }

    private int address() {
        return r.nextInt();
    }

    private String ip() {
        return Ipv4.format(address());
    }

    private int prefixLength() {
        return r.nextInt(33);
    }

    private String mask(int length) {
        return Ipv4.format(Ipv4.maskOf(length));
    }

    private int number(int low, int high) {
        return low + r.nextInt(high - low + 1);
    }

    private String hostname() {
        return "h" + Integer.toString(r.nextInt(1 << 20), 36) + ".example.com";
    }

    // ---- commands

    private void user() {
        String privilege = r.nextBoolean() ? " privilege " + r.nextInt(16) : "";
        String pw = key();
        add("username " + name() + privilege + switch (r.nextInt(4)) {
            case 0 -> " password " + pw;
            case 1 -> " password 0 " + pw;
            case 2 -> " password 7 " + Type7.encode(pw, r.nextInt(16));
            default -> " secret 5 " + Md5Crypt.crypt(pw, Integer.toString(r.nextInt(1 << 20), 36));
        });
    }

    private String methods() {
        StringBuilder s = new StringBuilder();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            s.append(' ').append(pick("local", "local-case", "none", "group radius", "group " + name(),
                    "if-authenticated"));
        }
        return s.toString();
    }

    private void aaa() {
        add("aaa new-model");
        add("aaa authentication login " + (r.nextBoolean() ? "default" : name()) + methods());
        add("aaa authorization network " + name() + methods());
    }

    private void radius() {
        String ports = (r.nextBoolean() ? " auth-port " + r.nextInt(65536) : "")
                + (r.nextBoolean() ? " acct-port " + r.nextInt(65536) : "");
        switch (r.nextInt(3)) {
            case 0 -> add("radius-server host " + ip() + ports + (r.nextBoolean() ? " key " + key() : ""));
            case 1 -> add("radius-server key " + key());
            default -> add("radius server " + name(), " address ipv4 " + ip() + ports, " key " + key());
        }
    }

    private void keyring() {
        List<String> lines = new ArrayList<>();
        lines.add("crypto keyring " + name());
        if (r.nextBoolean()) {
            lines.add(" description " + text());
        }
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            int len = prefixLength();
            lines.add(r.nextInt(4) == 0 ? " pre-shared-key hostname " + hostname() + " key " + key()
                    : " pre-shared-key address " + Ipv4.format(address() & Ipv4.maskOf(len)) + " " + mask(len)
                    + " key " + key());
        }
        blocks.add(lines);
    }

    private void policy() {
        List<String> lines = new ArrayList<>();
        lines.add(pick("crypto isakmp policy ", "crypto isa pol ") + number(1, 10000));
        if (r.nextBoolean()) {
            lines.add(" " + pick("encr", "encryption") + " " + pick("des", "3des", "aes", "aes 128", "aes 192",
                    "aes 256"));
        }
        if (r.nextBoolean()) {
            lines.add(" hash " + pick("md5", "sha", "sha256", "sha384", "sha512"));
        }
        if (r.nextBoolean()) {
            lines.add(" authentication " + pick("pre-share", "rsa-sig", "rsa-encr"));
        }
        if (r.nextBoolean()) {
            lines.add(" group " + pick("1", "2", "5", "14", "15", "16", "19", "20", "21", "24"));
        }
        if (r.nextBoolean()) {
            lines.add(" lifetime " + number(60, 86400));
        }
        blocks.add(lines);
    }

    private void isakmpKey() {
        String noXauth = r.nextBoolean() ? " no-xauth" : "";
        if (r.nextInt(3) == 0) {
            add("crypto isakmp key " + key() + " hostname " + hostname() + noXauth);
        } else {
            int len = prefixLength();
            add("crypto isakmp key " + key() + " address " + Ipv4.format(address() & Ipv4.maskOf(len))
                    + (r.nextBoolean() ? " " + mask(len) : "") + noXauth);
        }
    }

    private void isakmpGlobal() {
        add(switch (r.nextInt(6)) {
            case 0 -> "crypto isakmp identity " + pick("address", "hostname", "dn");
            case 1 -> "crypto isakmp keepalive " + number(10, 3600) + (r.nextBoolean() ? " " + number(2, 60)
                    + (r.nextBoolean() ? " " + pick("periodic", "on-demand") : "") : "");
            case 2 -> "crypto isakmp nat keepalive " + number(5, 3600);
            case 3 -> "crypto isakmp aggressive-mode disable";
            case 4 -> "crypto isakmp xauth timeout " + number(1, 90);
            default -> "crypto call admission limit ike in-negotiation-sa " + number(10, 99999);
        });
    }

    private void group() {
        List<String> lines = new ArrayList<>();
        lines.add("crypto isakmp client configuration group " + name());
        if (r.nextInt(4) > 0) {
            lines.add(" key " + key());
        }
        if (r.nextBoolean()) {
            lines.add(" dns " + ip() + (r.nextBoolean() ? " " + ip() : ""));
        }
        if (r.nextBoolean()) {
            lines.add(" wins " + ip() + (r.nextBoolean() ? " " + ip() : ""));
        }
        if (r.nextBoolean()) {
            lines.add(" domain " + hostname());
        }
        if (r.nextBoolean()) {
            lines.add(" pool " + name());
        }
        if (r.nextBoolean()) {
            lines.add(" acl " + (r.nextBoolean() ? String.valueOf(number(100, 199)) : name()));
        }
        for (int i = r.nextInt(3); i > 0; i--) {
            lines.add(" split-dns " + hostname());
        }
        if (r.nextBoolean()) {
            lines.add(" banner " + (r.nextBoolean() ? "^C" + word() + "\n" + word() + "^C" : "#" + text() + "#"));
        }
        for (String flag : new String[] {"save-password", "include-local-lan", "pfs"}) {
            if (r.nextBoolean()) {
                lines.add(" " + flag);
            }
        }
        for (int i = r.nextInt(3); i > 0; i--) {
            lines.add(" backup-gateway " + (r.nextBoolean() ? ip() : hostname()));
        }
        if (r.nextBoolean()) {
            lines.add(" max-users " + number(1, 5000));
        }
        if (r.nextBoolean()) {
            lines.add(" max-logins " + number(1, 10));
        }
        if (r.nextBoolean()) {
            lines.add(" netmask " + mask(prefixLength()));
        }
        blocks.add(lines);
    }

    private void profile() {
        List<String> lines = new ArrayList<>();
        lines.add("crypto isakmp profile " + name());
        if (r.nextBoolean()) {
            lines.add(" description " + text());
        }
        if (r.nextBoolean()) {
            lines.add(" keyring " + name());
        }
        for (int i = r.nextInt(4); i > 0; i--) {
            int len = prefixLength();
            lines.add(" match identity " + switch (r.nextInt(7)) {
                case 0 -> "group " + name();
                case 1 -> "host " + hostname();
                case 2 -> "host domain " + hostname();
                case 3 -> "user " + name() + "@" + hostname();
                case 4 -> "user domain " + hostname();
                case 5 -> "address 0.0.0.0";
                default -> "address " + Ipv4.format(address() & Ipv4.maskOf(len)) + (r.nextBoolean() ? " "
                        + mask(len) : "");
            });
        }
        if (r.nextBoolean()) {
            lines.add(" self-identity " + pick("address", "fqdn", "user-fqdn " + name() + "@" + hostname()));
        }
        if (r.nextBoolean()) {
            lines.add(" client authentication list " + name());
        }
        if (r.nextBoolean()) {
            lines.add(" isakmp authorization list " + name());
        }
        if (r.nextBoolean()) {
            lines.add(" client configuration address " + pick("respond", "initiate"));
        }
        if (r.nextBoolean()) {
            lines.add(" initiate mode aggressive");
        }
        if (r.nextBoolean()) {
            lines.add(" keepalive " + number(10, 3600) + " retry " + number(2, 60));
        }
        blocks.add(lines);
    }

    private void transformSet() {
        List<String> transforms = new ArrayList<>();
        String cipher = pick("esp-des", "esp-3des", "esp-aes", "esp-aes 192", "esp-aes 256", "esp-gcm", "esp-gcm 256",
                "esp-null", "");
        if (!cipher.isEmpty()) {
            transforms.add(cipher);
        }
        if (!cipher.startsWith("esp-gcm") && (cipher.isEmpty() || r.nextBoolean())) {
            transforms.add(pick("esp-md5-hmac", "esp-sha-hmac", "esp-sha256-hmac", "esp-sha384-hmac",
                    "esp-sha512-hmac"));
        }
        Collections.shuffle(transforms, r);
        List<String> lines = new ArrayList<>();
        lines.add("crypto ipsec transform-set " + name() + " " + String.join(" ", transforms));
        if (r.nextBoolean()) {
            lines.add(" mode " + pick("tunnel", "transport"));
        }
        blocks.add(lines);
    }

    private void mapEntry(boolean dynamicMap) {
        List<String> lines = new ArrayList<>();
        String map = pick("xmap", "xmap2");
        int seq = mapSeq++;
        if (!dynamicMap && r.nextInt(3) == 0) {
            add("crypto map " + map + " " + seq + " ipsec-isakmp dynamic " + name());
            return;
        }
        lines.add(dynamicMap ? "crypto dynamic-map x" + map + " " + seq : "crypto map " + map + " " + seq
                + (r.nextBoolean() ? " ipsec-isakmp" : ""));
        if (r.nextBoolean()) {
            lines.add(" description " + text());
        }
        for (int i = r.nextInt(3); i > 0; i--) {
            lines.add(" set peer " + (r.nextBoolean() ? ip() : hostname()));
        }
        if (r.nextBoolean()) {
            StringBuilder ts = new StringBuilder(" set transform-set");
            for (int i = 1 + r.nextInt(6); i > 0; i--) {
                ts.append(' ').append(name());
            }
            lines.add(ts.toString());
        }
        if (r.nextBoolean()) {
            lines.add(" set isakmp-profile " + name());
        }
        if (r.nextBoolean()) {
            lines.add(" set pfs" + pick("", " group1", " group2", " group5", " group14", " group19", " group24"));
        }
        if (r.nextBoolean()) {
            lines.add(" set security-association lifetime seconds " + number(120, 86400));
        }
        if (r.nextBoolean()) {
            lines.add(" set security-association lifetime kilobytes " + number(2560, 536870912));
        }
        if (r.nextBoolean()) {
            lines.add(" match address " + (r.nextBoolean() ? String.valueOf(number(100, 199)) : name()));
        }
        if (r.nextBoolean()) {
            lines.add(" reverse-route");
        }
        blocks.add(lines);
    }

    private void iface() {
        List<String> lines = new ArrayList<>();
        lines.add(pick("interface FastEthernet", "int fa", "interface GigabitEthernet", "interface Loopback",
                "interface Tunnel", "interface Serial", "interface ATM") + r.nextInt(4) + (r.nextBoolean() ? "/"
                + r.nextInt(4) : ""));
        if (r.nextBoolean()) {
            lines.add(" description " + text());
        }
        switch (r.nextInt(3)) {
            case 0 -> lines.add(" ip address dhcp");
            case 1 -> lines.add(" no ip address");
            default -> {
                int len = number(8, 30);
                int net = address() & Ipv4.maskOf(len);
                lines.add(" ip address " + Ipv4.format(net + 1) + " " + mask(len));
                if (r.nextBoolean()) {
                    lines.add(" ip address " + Ipv4.format((address() & Ipv4.maskOf(24)) + 5) + " "
                            + mask(24) + " secondary");
                }
            }
        }
        for (int i = r.nextInt(3); i > 0; i--) {
            lines.add(" " + pick("duplex auto", "speed 100", "no keepalive", "no ip mroute-cache",
                    "no atm ilmi-keepalive", "ip nat outside", "ip mtu 1400", "ip tcp adjust-mss 1360",
                    "no cdp enable", "ip route-cache cef"));
        }
        if (r.nextBoolean()) {
            lines.add(" shutdown");
        }
        if (r.nextBoolean()) {
            lines.add(" crypto map " + name());
        }
        blocks.add(lines);
    }

    private void pool() {
        int first = address();
        int size = r.nextInt(300);
        int last = Integer.compareUnsigned(first + size, first) < 0 ? first : first + size;
        add("ip local pool " + name() + " " + Ipv4.format(first) + (r.nextBoolean() ? " " + Ipv4.format(last) : ""));
    }

    private String addr(boolean standard) {
        return switch (r.nextInt(3)) {
            case 0 -> "any";
            case 1 -> "host " + ip();
            default -> ip() + (standard && r.nextBoolean() ? "" : " " + Ipv4.format(~Ipv4.maskOf(prefixLength())));
        };
    }

    private String port() {
        return switch (r.nextInt(6)) {
            case 0 -> "";
            case 1 -> " range " + r.nextInt(65536) + " " + r.nextInt(65536);
            default -> " " + pick("eq", "neq", "lt", "gt") + " " + pick("isakmp", "non500-isakmp", "www",
                    String.valueOf(r.nextInt(65536)));
        };
    }

    private String extendedEntry() {
        String action = pick("permit", "deny");
        String log = r.nextBoolean() ? " log" : "";
        return switch (r.nextInt(5)) {
            case 0 -> action + " " + pick("ip", "esp", "ahp", "gre", "47", "50") + " " + addr(false) + " "
                    + addr(false) + log;
            case 1 -> action + " tcp " + addr(false) + port() + " " + addr(false) + port()
                    + (r.nextBoolean() ? " established" : "") + log;
            case 2 -> action + " udp " + addr(false) + port() + " " + addr(false) + port() + log;
            case 3 -> action + " icmp " + addr(false) + " " + addr(false) + pick("", " echo", " echo-reply", " 3")
                    + log;
            default -> "remark " + text();
        };
    }

    private String standardEntry() {
        return r.nextInt(5) == 0 ? "remark " + text() : pick("permit", "deny") + " " + addr(true)
                + (r.nextBoolean() ? " log" : "");
    }

    private void numberedAcl() {
        boolean extended = r.nextBoolean();
        int n = (extended ? 100 : 1) + (aclNumber++ % 99);
        List<String> lines = new ArrayList<>();
        for (int i = 1 + r.nextInt(4); i > 0; i--) {
            lines.add("access-list " + n + " " + (extended ? extendedEntry() : standardEntry()));
        }
        blocks.add(lines);
    }

    private void namedAcl() {
        boolean extended = r.nextBoolean();
        List<String> lines = new ArrayList<>();
        lines.add("ip access-list " + (extended ? "extended x" : "standard y") + Integer.toString(r.nextInt(1 << 16),
                36));
        for (int i = 1 + r.nextInt(4); i > 0; i--) {
            lines.add(" " + (r.nextInt(3) == 0 ? (10 * number(1, 50)) + " " : "")
                    + (extended ? extendedEntry() : standardEntry()));
        }
        blocks.add(lines);
    }

    private void route() {
        int len = prefixLength();
        String via = switch (r.nextInt(3)) {
            case 0 -> ip();
            case 1 -> "FastEthernet0/" + r.nextInt(4);
            default -> "Tunnel" + r.nextInt(4) + " " + ip();
        };
        add("ip route " + Ipv4.format(address() & Ipv4.maskOf(len)) + " " + mask(len) + " " + via
                + (r.nextBoolean() ? " " + number(1, 255) : "") + (r.nextBoolean() ? " name " + name() : "")
                + (r.nextBoolean() ? " permanent" : ""));
    }

    private void line() {
        List<String> lines = new ArrayList<>();
        String kind = pick("con", "aux", "vty");
        int first = kind.equals("vty") ? r.nextInt(5) : 0;
        lines.add("line " + kind + " " + first + (kind.equals("vty") ? " " + (first + r.nextInt(11)) : ""));
        if (r.nextBoolean()) {
            lines.add(" password " + (r.nextBoolean() ? "7 " + Type7.encode(key(), r.nextInt(16)) : key()));
        }
        if (r.nextBoolean()) {
            lines.add(" " + pick("login", "login local", "no login", "login authentication " + name()));
        }
        for (int i = r.nextInt(3); i > 0; i--) {
            lines.add(" " + pick("exec-timeout 0 0", "escape-character 27", "transport input ssh",
                    "logging synchronous", "privilege level 15"));
        }
        blocks.add(lines);
    }
}
