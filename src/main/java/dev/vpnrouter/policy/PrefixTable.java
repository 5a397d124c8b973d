package dev.vpnrouter.policy;

import java.util.Arrays;

/**
 * Values keyed by IPv4 prefix, for longest-prefix lookups that cost at most one hash probe per prefix length in
 * use (typically two or three), without boxing or allocation. Built once, then read.
 */
public final class PrefixTable<V> {
    @SuppressWarnings("unchecked")
    private final IntMap<V>[] byLength = (IntMap<V>[]) new IntMap<?>[33];
    private int[] lengths = new int[0];
    private int size;

    /** Adds {@code value} for {@code address/length} unless that prefix is already present; true when added. */
    public boolean putIfAbsent(int address, int length, V value) {
        if (get(address, length) != null) {
            return false;
        }
        put(address, length, value);
        return true;
    }

    /** Sets the value for {@code address/length}, replacing any. */
    public void put(int address, int length, V value) {
        if (value == null) {
            throw new IllegalArgumentException("null value");
        }
        IntMap<V> m = byLength[length];
        if (m == null) {
            m = new IntMap<>();
            byLength[length] = m;
            lengths = Arrays.copyOf(lengths, lengths.length + 1);
            lengths[lengths.length - 1] = length;
            Arrays.sort(lengths);
            reverse(lengths);
        }
        int prefix = address & maskOf(length);
        if (m.get(prefix) == null) {
            size++;
        }
        m.put(prefix, value);
    }

    /** The value of the longest prefix containing {@code address}, or null. */
    public V longestMatch(int address) {
        for (int length : lengths) {
            V v = byLength[length].get(address & maskOf(length));
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** The value stored for exactly {@code address/length}, or null. */
    public V get(int address, int length) {
        IntMap<V> m = byLength[length];
        return m == null ? null : m.get(address & maskOf(length));
    }

    /** Prefix lengths in use, longest first (do not modify). For callers that need every match, not the longest. */
    public int[] lengths() {
        return lengths;
    }

    public int size() {
        return size;
    }

    static int maskOf(int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    private static void reverse(int[] a) {
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Open-addressing int → value map (linear probing, load ≤ 1/2). */
    static final class IntMap<V> {
        private int[] keys = new int[8];
        private Object[] values = new Object[8];
        private int count;

        @SuppressWarnings("unchecked")
        V get(int key) {
            int mask = keys.length - 1;
            for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
                Object v = values[i];
                if (v == null) {
                    return null;
                }
                if (keys[i] == key) {
                    return (V) v;
                }
            }
        }

        void put(int key, V value) {
            if (2 * (count + 1) > keys.length) {
                grow();
            }
            int mask = keys.length - 1;
            for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
                if (values[i] == null) {
                    keys[i] = key;
                    values[i] = value;
                    count++;
                    return;
                }
                if (keys[i] == key) {
                    values[i] = value;
                    return;
                }
            }
        }

        private void grow() {
            int[] oldKeys = keys;
            Object[] oldValues = values;
            keys = new int[oldKeys.length * 2];
            values = new Object[oldValues.length * 2];
            count = 0;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldValues[i] != null) {
                    @SuppressWarnings("unchecked")
                    V v = (V) oldValues[i];
                    put(oldKeys[i], v);
                }
            }
        }

        private static int hash(int key) {
            int h = key * 0x9E3779B9;
            return h ^ (h >>> 16);
        }
    }
}
