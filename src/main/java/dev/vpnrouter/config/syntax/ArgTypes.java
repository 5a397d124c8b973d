package dev.vpnrouter.config.syntax;

import dev.vpnrouter.common.Ipv4;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The argument types a command pattern may name: {@code WORD}, {@code LINE}, {@code INT(lo-hi)}, ... */
public final class ArgTypes {
    private ArgTypes() {
    }

    /** Any single word. */
    public static final ArgType WORD = new Simple("WORD", "WORD", "") {
        @Override
        Object value(String token) {
            return token;
        }
    };

    /** A dotted-quad IPv4 address (value: {@code Integer}). */
    public static final ArgType IP = new Simple("IP", "A.B.C.D", "IP address") {
        @Override
        Object value(String token) {
            return Ipv4.tryParse(token);
        }
    };

    /** A dotted-quad mask or wildcard; whether it must be contiguous is the command's business (value: Integer). */
    public static final ArgType MASK = new Simple("MASK", "A.B.C.D", "IP subnet mask") {
        @Override
        Object value(String token) {
            return Ipv4.tryParse(token);
        }
    };

    /** The rest of the line as typed, inner spacing kept (descriptions, remarks, free-form passive lines). */
    public static final ArgType LINE = new ArgType() {
        @Override
        public String id() {
            return "LINE";
        }

        @Override
        public String description() {
            return "Text until the end of the line";
        }

        @Override
        public boolean restOfLine() {
            return true;
        }

        @Override
        public Parsed parse(List<Token> tokens, int index, String line) {
            // Trimmed by the tokenizer's idea of a blank: String.strip would also take a control character the
            // tokenizer read as a word, leaving a command with an empty argument (a fuzzing finding).
            String rest = Tokenizer.trimEnd(line, tokens.get(index).column() - 1);
            return new Parsed(rest, tokens.size() - index, rest);
        }
    };

    /** Text between delimiters, possibly over several lines (value: {@link DelimitedText}). */
    public static final ArgType TEXT = new ArgType() {
        @Override
        public String id() {
            return "TEXT";
        }

        @Override
        public String placeholder() {
            return "LINE";
        }

        @Override
        public String description() {
            return "c text c, where 'c' is a delimiting character";
        }

        @Override
        public boolean restOfLine() {
            return true;
        }

        @Override
        public Parsed parse(List<Token> tokens, int index, String line) {
            String rest = line.substring(tokens.get(index).column() - 1);
            DelimitedText text = DelimitedText.open(rest);
            return text == null ? null : new Parsed(text, tokens.size() - index, rest.strip());
        }
    };

    /** A TCP/UDP port by number or by the IOS name ({@code isakmp}, {@code www}, ...) (value: Integer). */
    public static final ArgType PORT = new Simple("PORT", "<0-65535>", "Port number") {
        @Override
        Object value(String token) {
            Integer named = Ports.byName(token);
            if (named != null) {
                return named;
            }
            Long n = parseNumber(token);
            return n != null && n <= 65535 ? n.intValue() : null;
        }
    };

    /** An interface name, abbreviated or not, type and number joined or apart (value: canonical String). */
    public static final ArgType IFNAME = new ArgType() {
        @Override
        public String id() {
            return "IFNAME";
        }

        @Override
        public String placeholder() {
            return "WORD";
        }

        @Override
        public String description() {
            return "Interface name, e.g. FastEthernet0/0";
        }

        @Override
        public Parsed parse(List<Token> tokens, int index, String line) {
            String name = InterfaceNames.canonical(tokens.get(index).text());
            if (name != null) {
                return new Parsed(name, 1, name);
            }
            if (index + 1 < tokens.size()) {
                name = InterfaceNames.canonical(tokens.get(index).text() + tokens.get(index + 1).text());
                if (name != null) {
                    return new Parsed(name, 2, name);
                }
            }
            return null;
        }
    };

    private static final Pattern INT_RANGE = Pattern.compile("INT\\((\\d+)-(\\d+)\\)");
    private static final Map<String, ArgType> INTS = new ConcurrentHashMap<>();

    /** An integer in {@code [low, high]} (value: Long when high exceeds int range, else Integer). */
    public static ArgType integer(long low, long high) {
        return INTS.computeIfAbsent("INT(" + low + "-" + high + ")", id -> new Simple(id, "<" + low + "-" + high + ">",
                "") {
            @Override
            Object value(String token) {
                Long n = parseNumber(token);
                if (n == null || n < low || n > high) {
                    return null;
                }
                return high <= Integer.MAX_VALUE ? (Object) n.intValue() : (Object) n;
            }
        });
    }

    /** The type a pattern names, e.g. {@code WORD} or {@code INT(1-10000)}. */
    public static ArgType byName(String name) {
        switch (name) {
            case "WORD":
                return WORD;
            case "IP":
                return IP;
            case "MASK":
                return MASK;
            case "LINE":
                return LINE;
            case "TEXT":
                return TEXT;
            case "PORT":
                return PORT;
            case "IFNAME":
                return IFNAME;
            default:
                Matcher m = INT_RANGE.matcher(name);
                if (m.matches()) {
                    return integer(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
                }
                throw new IllegalArgumentException("unknown argument type " + name);
        }
    }

    static Long parseNumber(String token) {
        if (token.isEmpty() || token.length() > 12) {
            return null;
        }
        long v = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** A one-token type whose value is computed from the token text; {@code null} means no match. */
    private abstract static class Simple implements ArgType {
        private final String id;
        private final String placeholder;
        private final String description;

        Simple(String id, String placeholder, String description) {
            this.id = id;
            this.placeholder = placeholder;
            this.description = description;
        }

        abstract Object value(String token);

        @Override
        public String id() {
            return id;
        }

        @Override
        public String placeholder() {
            return placeholder;
        }

        @Override
        public String description() {
            return description;
        }

        @Override
        public Parsed parse(List<Token> tokens, int index, String line) {
            String text = tokens.get(index).text();
            Object v = value(text);
            return v == null ? null : new Parsed(v, 1, text);
        }

        @Override
        public String toString() {
            return id;
        }
    }

    /** IOS port names for the ports a VPN router's ACLs mention (case-insensitive). */
    public static final class Ports {
        private static final Map<String, Integer> BY_NAME = Map.ofEntries(
                Map.entry("bgp", 179), Map.entry("bootpc", 68), Map.entry("bootps", 67), Map.entry("domain", 53),
                Map.entry("echo", 7), Map.entry("ftp", 21), Map.entry("ftp-data", 20), Map.entry("isakmp", 500),
                Map.entry("non500-isakmp", 4500), Map.entry("ntp", 123), Map.entry("pop3", 110),
                Map.entry("smtp", 25), Map.entry("snmp", 161), Map.entry("snmptrap", 162), Map.entry("syslog", 514),
                Map.entry("tacacs", 49), Map.entry("telnet", 23), Map.entry("tftp", 69), Map.entry("www", 80));

        private Ports() {
        }

        static Integer byName(String name) {
            return BY_NAME.get(name.toLowerCase(Locale.ROOT));
        }

        /** The IOS name of {@code port}, or its number. */
        public static String name(int port) {
            for (Map.Entry<String, Integer> e : BY_NAME.entrySet()) {
                if (e.getValue() == port) {
                    return e.getKey();
                }
            }
            return String.valueOf(port);
        }
    }
}
