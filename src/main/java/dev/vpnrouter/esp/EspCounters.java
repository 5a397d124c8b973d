package dev.vpnrouter.esp;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of one SA direction's counters, named as IOS prints them in
 * {@code show crypto ipsec sa}. An outbound SA fills the encaps side, an inbound SA the decaps
 * side; the other side stays 0.
 *
 * @param packets    inner packets processed successfully (counted against the lifetime)
 * @param bytes      inner bytes processed successfully (counted against the lifetime)
 * @param drops      inbound drops by reason (all of them are in {@code recvErrors})
 * @param sealErrors outbound refusals by reason (all of them are in {@code sendErrors})
 */
public record EspCounters(
        long pktsEncaps, long pktsEncrypt, long pktsDigest,
        long pktsDecaps, long pktsDecrypt, long pktsVerify,
        long sendErrors, long recvErrors,
        long packets, long bytes,
        Map<EspDropReason, Long> drops, Map<EspSealError, Long> sealErrors) {

    public EspCounters {
        drops = copy(EspDropReason.class, drops);
        sealErrors = copy(EspSealError.class, sealErrors);
    }

    private static <E extends Enum<E>> Map<E, Long> copy(Class<E> type, Map<E, Long> map) {
        EnumMap<E, Long> copy = new EnumMap<>(type);
        copy.putAll(map);
        return Collections.unmodifiableMap(copy);
    }

    /** Drops for one reason. */
    public long drops(EspDropReason reason) {
        return drops.getOrDefault(reason, 0L);
    }

    public long sealErrors(EspSealError error) {
        return sealErrors.getOrDefault(error, 0L);
    }

    /** IOS {@code #pkts replay failed (rcv)}. */
    public long replayFailures() {
        return drops(EspDropReason.REPLAY);
    }

    /** IOS {@code #pkts verify failed}. */
    public long authFailures() {
        return drops(EspDropReason.AUTH_FAILED);
    }

    /** Kilobytes processed, as IOS subtracts them from "remaining key lifetime (k/sec)". */
    public long kilobytes() {
        return bytes / 1024;
    }

    static <E extends Enum<E>> Map<E, Long> toMap(Class<E> type, long[] counts) {
        EnumMap<E, Long> map = new EnumMap<>(type);
        E[] constants = type.getEnumConstants();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                map.put(constants[i], counts[i]);
            }
        }
        return map;
    }
}
