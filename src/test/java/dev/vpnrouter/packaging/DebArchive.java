package dev.vpnrouter.packaging;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A Debian binary package read in Java, so the default build checks the .deb without dpkg: an ar archive of
 * {@code debian-binary}, {@code control.tar.gz} and {@code data.tar.gz} (deb(5)); the tars are ustar with GNU long
 * names. Only what the package's tests need: members in order, and each tar's entries with modes, owners, contents.
 */
record DebArchive(List<String> members, String debianBinary, Map<String, Entry> control, Map<String, Entry> data) {

    /** A tar entry; {@code path} without the leading "./", directories ending in "/". */
    record Entry(String path, char type, int mode, String user, String group, byte[] content) {
        boolean isDirectory() {
            return type == '5';
        }

        String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    static DebArchive read(Path deb) throws IOException {
        byte[] bytes = Files.readAllBytes(deb);
        String magic = "!<arch>\n";
        if (!new String(bytes, 0, magic.length(), StandardCharsets.US_ASCII).equals(magic)) {
            throw new IOException(deb + ": not an ar archive");
        }
        List<String> members = new ArrayList<>();
        String debianBinary = null;
        Map<String, Entry> control = null;
        Map<String, Entry> data = null;
        int at = magic.length();
        while (at + 60 <= bytes.length) {
            String name = ascii(bytes, at, 16).strip();
            if (name.endsWith("/")) {
                name = name.substring(0, name.length() - 1); // GNU ar's terminator
            }
            int size = Integer.parseInt(ascii(bytes, at + 48, 10).strip());
            if (!ascii(bytes, at + 58, 2).equals("`\n")) {
                throw new IOException(deb + ": bad ar member header at " + at);
            }
            byte[] content = java.util.Arrays.copyOfRange(bytes, at + 60, at + 60 + size);
            members.add(name);
            switch (name) {
                case "debian-binary" -> debianBinary = new String(content, StandardCharsets.US_ASCII);
                case "control.tar.gz" -> control = tar(new GZIPInputStream(new ByteArrayInputStream(content)));
                case "data.tar.gz" -> data = tar(new GZIPInputStream(new ByteArrayInputStream(content)));
                default -> { } // a member this reader does not know (xz, zst): the test on members says so
            }
            at += 60 + size + (size & 1); // members start on even offsets
        }
        return new DebArchive(members, debianBinary, control, data);
    }

    private static Map<String, Entry> tar(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        Map<String, Entry> entries = new LinkedHashMap<>();
        String longName = null;
        int at = 0;
        while (at + 512 <= all.length && all[at] != 0) {
            String name = cString(all, at, 100);
            int mode = (int) octal(all, at + 100, 8);
            long size = octal(all, at + 124, 12);
            char type = (char) all[at + 156];
            String user = cString(all, at + 265, 32);
            String group = cString(all, at + 297, 32);
            String prefix = ascii(all, at + 257, 5).equals("ustar") ? cString(all, at + 345, 155) : "";
            byte[] content = java.util.Arrays.copyOfRange(all, at + 512, at + 512 + (int) size);
            at += 512 + (int) ((size + 511) / 512 * 512);
            if (type == 'L') { // GNU long name: the next entry's name
                longName = cString(content, 0, content.length);
                continue;
            }
            String path = longName != null ? longName : prefix.isEmpty() ? name : prefix + "/" + name;
            longName = null;
            if (path.startsWith("./")) {
                path = path.substring(2);
            }
            if (path.isEmpty()) {
                continue; // "./" itself
            }
            entries.put(path, new Entry(path, type == 0 ? '0' : type, mode, user, group, content));
        }
        return entries;
    }

    private static String ascii(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.US_ASCII);
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int off, int len) {
        String s = cString(b, off, len).strip();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }

    /** The control file's fields (continuation lines joined with "\n"). */
    Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        String last = null;
        for (String line : control.get("control").text().split("\n")) {
            if (line.startsWith(" ") && last != null) {
                fields.merge(last, "\n" + line, String::concat);
            } else if (line.contains(":")) {
                last = line.substring(0, line.indexOf(':'));
                fields.put(last, line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return fields;
    }
}
