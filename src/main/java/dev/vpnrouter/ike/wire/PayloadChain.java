package dev.vpnrouter.ike.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A decoded payload chain plus where each payload lay in the bytes it came from. The raw spans matter because RFC
 * 2409 hashes bytes as received: HASH_I/HASH_R cover the body of the initiator's SA payload ({@link #rawBody}), and
 * the Quick Mode, Informational and Transaction HASH(n) cover every payload after the HASH payload up to, but not
 * including, the padding ({@link #rawAfter}).
 */
public final class PayloadChain {
    private final List<Payload> payloads;
    private final byte[] source;
    private final int[] starts;
    private final int end;
    private final int padding;

    PayloadChain(List<Payload> payloads, byte[] source, int[] starts, int end, int padding) {
        this.payloads = List.copyOf(payloads);
        this.source = source;
        this.starts = starts;
        this.end = end;
        this.padding = padding;
    }

    public List<Payload> payloads() {
        return payloads;
    }

    public int size() {
        return payloads.size();
    }

    public Payload get(int index) {
        return payloads.get(index);
    }

    /** The payload type numbers in order, e.g. for "[ SA V V V ]"-style log lines. */
    public List<Integer> types() {
        List<Integer> t = new ArrayList<>(payloads.size());
        for (Payload p : payloads) {
            t.add(p.type());
        }
        return t;
    }

    /** Length of the payloads, i.e. where padding (if any) starts. */
    public int length() {
        return end;
    }

    /** Bytes after the last payload that were ignored (the RFC 2409 padding of a decrypted body). */
    public int padding() {
        return padding;
    }

    /** Payload {@code index} as received, generic header included. */
    public byte[] raw(int index) {
        return Arrays.copyOfRange(source, starts[index], endOf(index));
    }

    /** Payload {@code index} as received, without its 4-byte generic header (e.g. SAi_b). */
    public byte[] rawBody(int index) {
        return Arrays.copyOfRange(source, starts[index] + PayloadCodec.GENERIC_HEADER, endOf(index));
    }

    /** Every payload after payload {@code index} as received, generic headers included, padding excluded. */
    public byte[] rawAfter(int index) {
        return Arrays.copyOfRange(source, endOf(index), end);
    }

    private int endOf(int index) {
        Objects.checkIndex(index, payloads.size());
        return index + 1 < starts.length ? starts[index + 1] : end;
    }

    /** The first payload of the given record type, if any. */
    public <T extends Payload> Optional<T> first(Class<T> kind) {
        for (Payload p : payloads) {
            if (kind.isInstance(p)) {
                return Optional.of(kind.cast(p));
            }
        }
        return Optional.empty();
    }

    /** All payloads of the given record type, in order. */
    public <T extends Payload> List<T> all(Class<T> kind) {
        List<T> out = new ArrayList<>();
        for (Payload p : payloads) {
            if (kind.isInstance(p)) {
                out.add(kind.cast(p));
            }
        }
        return out;
    }

    /** Equal when the same payloads were decoded from the same bytes. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PayloadChain c && c.payloads.equals(payloads) && Arrays.equals(c.source, source)
                && Arrays.equals(c.starts, starts) && c.end == end;
    }

    @Override
    public int hashCode() {
        return payloads.hashCode() * 31 + Arrays.hashCode(source);
    }

    @Override
    public String toString() {
        return "PayloadChain" + payloads + (padding > 0 ? " + " + padding + " bytes padding" : "");
    }
}
