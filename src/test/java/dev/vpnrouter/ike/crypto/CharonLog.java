package dev.vpnrouter.ike.crypto;

import dev.vpnrouter.common.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the labelled hex dumps of a charon log at level 4 ("SKEYID => 20 bytes" followed by offset-prefixed
 * hex lines), keyed by IKE SA number and label, in log order.
 */
final class CharonLog {
    // "23:05:35.449 15[IKE] <spokes|3> SKEYID => 20 bytes"
    private static final Pattern LABEL = Pattern.compile("^\\S+ \\d+\\[\\w+\\] <(?:[^|>]*\\|)?(\\d+)> (.+) => (\\d+) bytes$");
    // "23:05:35.449 15[IKE] <3>   16: 0C C9 0E BD      ...."
    private static final Pattern DUMP = Pattern.compile("^\\S+ \\d+\\[\\w+\\] <(?:[^|>]*\\|)?(\\d+)> +(\\d+): (.*)$");

    private final Map<String, List<byte[]>> values = new LinkedHashMap<>();

    private CharonLog(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = LABEL.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            String key = m.group(1) + "/" + m.group(2);
            int length = Integer.parseInt(m.group(3));
            byte[] value = new byte[length];
            int filled = 0;
            while (filled < length) {
                Matcher d = DUMP.matcher(lines.get(++i));
                if (!d.matches() || Integer.parseInt(d.group(2)) != filled) {
                    throw new IllegalStateException("bad dump line " + (i + 1) + ": " + lines.get(i));
                }
                int count = Math.min(16, length - filled);
                // "XX XX ..." then two spaces and the ASCII column: take exactly `count` hex pairs.
                byte[] chunk = Hex.decode(d.group(3).substring(0, count * 3 - 1));
                System.arraycopy(chunk, 0, value, filled, count);
                filled += count;
            }
            values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
    }

    static CharonLog load(String resource) {
        try (InputStream in = CharonLog.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new CharonLog(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every dump with this label for IKE SA {@code sa}, in log order (empty when none). */
    List<byte[]> all(int sa, String label) {
        return values.getOrDefault(sa + "/" + label, List.of());
    }

    /** The {@code index}-th (from 0) dump with this label for IKE SA {@code sa}. */
    byte[] get(int sa, String label, int index) {
        List<byte[]> list = all(sa, label);
        if (index >= list.size()) {
            throw new IllegalArgumentException("no " + label + " #" + index + " for SA " + sa);
        }
        return list.get(index);
    }

    byte[] get(int sa, String label) {
        return get(sa, label, 0);
    }
}
