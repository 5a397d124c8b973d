package dev.vpnrouter.ike.wire;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/**
 * Value-to-name tables built from a constant holder's {@code public static final int} fields, so the names printed in
 * logs can never drift from the constants. Unknown values print as their decimal number.
 */
final class Names {
    private final Map<Integer, String> names = new HashMap<>();

    private Names(Class<?> holder) {
        for (Field f : holder.getDeclaredFields()) {
            int m = f.getModifiers();
            if (Modifier.isPublic(m) && Modifier.isStatic(m) && Modifier.isFinal(m) && f.getType() == int.class) {
                try {
                    names.putIfAbsent(f.getInt(null), f.getName());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    static Names of(Class<?> holder) {
        return new Names(holder);
    }

    String name(int value) {
        String n = names.get(value);
        return n != null ? n : Integer.toString(value);
    }

    boolean isKnown(int value) {
        return names.containsKey(value);
    }
}
