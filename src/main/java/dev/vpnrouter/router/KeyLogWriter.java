package dev.vpnrouter.router;

import dev.vpnrouter.common.Hex;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes phase-1 encryption keys in the format of Wireshark's {@code ikev1_decryption_table} UAT file: one line
 * {@code <initiator cookie hex>,<encryption key hex>} per ISAKMP SA (both fields are UAT byte fields, which
 * Wireshark writes and reads unquoted). The file can serve as a profile's {@code ikev1_decryption_table} as it is,
 * and each line can be given to tshark as {@code -o uat:ikev1_decryption_table:LINE}. The file holds live keys, so
 * it is created owner-only and each line is flushed at once (a crash must not lose the keys of a capture being
 * debugged).
 */
public final class KeyLogWriter implements Closeable {
    private final Path path;
    private final BufferedWriter out;

    public KeyLogWriter(Path path) throws IOException {
        this.path = path;
        if (!Files.exists(path)) {
            try {
                Files.createFile(path,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(path);
            }
        }
        this.out = Files.newBufferedWriter(path, StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
    }

    public Path path() {
        return path;
    }

    /** One UAT line for an initiator cookie and its SA's encryption key (Ka). */
    public static String line(long initiatorCookie, byte[] encryptionKey) {
        return String.format("%016x", initiatorCookie) + "," + Hex.of(encryptionKey);
    }

    public void write(long initiatorCookie, byte[] encryptionKey) throws IOException {
        out.write(line(initiatorCookie, encryptionKey));
        out.newLine();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
