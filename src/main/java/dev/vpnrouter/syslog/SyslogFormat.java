package dev.vpnrouter.syslog;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A message as a syslog datagram. RFC 3164 as IOS sends it (the default): {@code <PRI>SEQ: LINE}, where LINE is
 * the message as the buffer shows it ({@code *Dec  5 12:27:30.123: %CRYPTO-5-SESSION_STATUS: ...}); at most 1024
 * bytes (RFC 3164 4.1). RFC 5424 with {@code logging trap syslog-format rfc5424}: {@code <PRI>1 TIMESTAMP HOSTNAME
 * vpnrouter - MSGID [meta sequenceId="SEQ"] %FAC-SEV-MNEMONIC: text}, the MSGID being FAC-SEV-MNEMONIC.
 */
public final class SyslogFormat {
    /** RFC 3164 4.1: a relay may truncate anything longer. */
    static final int MAX_3164_BYTES = 1024;

    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX")
            .withZone(ZoneOffset.UTC);

    private SyslogFormat() {
    }

    public static byte[] rfc3164(int priority, long sequence, String line) {
        byte[] b = ("<" + priority + ">" + sequence + ": " + line).getBytes(StandardCharsets.UTF_8);
        return b.length <= MAX_3164_BYTES ? b : java.util.Arrays.copyOf(b, MAX_3164_BYTES);
    }

    public static byte[] rfc5424(int priority, long sequence, long nowMillis, String hostname, RouterMessage m) {
        String msgId = m.tag().length() <= 32 ? m.tag() : m.tag().substring(0, 32); // RFC 5424 6.2.7: 32 at most
        return ("<" + priority + ">1 " + RFC3339.format(Instant.ofEpochMilli(nowMillis)) + " " + hostname
                + " vpnrouter - " + msgId + " [meta sequenceId=\"" + sequence + "\"] " + m.format())
                .getBytes(StandardCharsets.UTF_8);
    }
}
