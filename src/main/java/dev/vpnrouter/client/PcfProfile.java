package dev.vpnrouter.client;

import dev.vpnrouter.config.secret.CiscoClientPassword;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Cisco VPN Client connection profile ({@code .pcf}): an INI file whose {@code [main]} section names the hub
 * ({@code Host}), the group ({@code GroupName} with {@code GroupPwd} in clear or {@code enc_GroupPwd} encoded) and
 * the user ({@code Username}, optionally {@code UserPassword}/{@code enc_UserPassword} when the profile saves it),
 * and the backup gateways ({@code BackupServer}, comma-separated, used when {@code EnableBackup=1}).
 * Keys are case-insensitive, as the Cisco client reads them; an empty value counts as absent.
 */
public record PcfProfile(String host, String groupName, Optional<String> groupPassword, Optional<String> username,
        Optional<String> userPassword, Optional<String> description, List<String> backupServers) {

    public PcfProfile {
        backupServers = List.copyOf(backupServers);
    }

    /** A profile file that cannot be used, with the reason. */
    public static final class PcfException extends Exception {
        public PcfException(String message) {
            super(message);
        }
    }

    public static PcfProfile parse(String text) throws PcfException {
        Map<String, String> main = new LinkedHashMap<>();
        String section = "";
        int lineNo = 0;
        for (String raw : text.split("\r?\n")) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1).strip().toLowerCase(Locale.ROOT);
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new PcfException("line " + lineNo + ": expected key=value, got \"" + line + "\"");
            }
            if (section.equals("main")) {
                String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                // A leading '!' marks a value the user may not change in the Cisco client: same value for us.
                if (key.startsWith("!")) {
                    key = key.substring(1);
                }
                main.put(key, line.substring(eq + 1).strip());
            }
        }
        String host = value(main, "host").orElseThrow(() -> new PcfException("no Host= in [main]"));
        String group = value(main, "groupname").orElseThrow(() -> new PcfException("no GroupName= in [main]"));
        Optional<String> groupPassword = password(main, "grouppwd", "enc_grouppwd");
        Optional<String> userPassword = password(main, "userpassword", "enc_userpassword");
        List<String> backup = new ArrayList<>();
        if (value(main, "enablebackup").map("1"::equals).orElse(false)) {
            for (String server : value(main, "backupserver").orElse("").split(",")) {
                if (!server.isBlank()) {
                    backup.add(server.strip());
                }
            }
        }
        return new PcfProfile(host, group, groupPassword, value(main, "username"), userPassword,
                value(main, "description"), backup);
    }

    private static Optional<String> value(Map<String, String> main, String key) {
        String v = main.get(key);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    private static Optional<String> password(Map<String, String> main, String clearKey, String encodedKey)
            throws PcfException {
        Optional<String> clear = value(main, clearKey);
        if (clear.isPresent()) {
            return clear;
        }
        Optional<String> encoded = value(main, encodedKey);
        if (encoded.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(CiscoClientPassword.decode(encoded.get()).orElseThrow(() -> new PcfException(
                encodedKey.replace("enc_grouppwd", "enc_GroupPwd").replace("enc_userpassword", "enc_UserPassword")
                        + " is not a valid Cisco-encoded password")));
    }

    @Override
    public String toString() {
        return "PcfProfile[host " + host + ", group " + groupName + ", user " + username.orElse("-") + "]";
    }
}
