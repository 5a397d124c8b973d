package dev.vpnrouter.ike.wire;

import java.util.Arrays;

/**
 * IKEv1 fragment payload (type 132, Cisco's proprietary fragmentation, also spoken by strongSwan and Windows): a
 * fragment ID shared by all fragments of one message, the fragment number (from 1) and flags
 * ({@link #FLAG_LAST}); the data is a slice of the whole original ISAKMP message.
 */
public record FragmentPayload(int fragmentId, int number, int flags, byte[] data) implements Payload {

    public static final int FLAG_LAST = 0x01;

    public FragmentPayload {
        Bytes.checkRange(fragmentId, 0xffff, "fragment id");
        Bytes.checkRange(number, 0xff, "fragment number");
        Bytes.checkRange(flags, 0xff, "flags");
        data = Bytes.copy(data, "data");
    }

    @Override
    public int type() {
        return PayloadType.FRAGMENT;
    }

    public boolean isLast() {
        return (flags & FLAG_LAST) != 0;
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FragmentPayload p && p.fragmentId == fragmentId && p.number == number
                && p.flags == flags && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return ((fragmentId * 31 + number) * 31 + flags) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FragmentPayload[id=" + fragmentId + ", number=" + number + ", flags=" + flags + ", "
                + data.length + " bytes]";
    }
}
