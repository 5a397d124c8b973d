package dev.vpnrouter.config;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Test helper: the paths at which two models (records, lists, values) differ, for readable failures. */
final class ModelDiff {
    private ModelDiff() {
    }

    static List<String> between(Object a, Object b) {
        List<String> out = new ArrayList<>();
        walk("config", a, b, out);
        return out;
    }

    private static void walk(String path, Object a, Object b, List<String> out) {
        if (Objects.equals(a, b)) {
            return;
        }
        if (a != null && b != null && a.getClass() == b.getClass() && a.getClass().isRecord()) {
            for (RecordComponent rc : a.getClass().getRecordComponents()) {
                try {
                    walk(path + "." + rc.getName(), rc.getAccessor().invoke(a), rc.getAccessor().invoke(b), out);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return;
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            for (int i = 0; i < Math.max(la.size(), lb.size()); i++) {
                walk(path + "[" + i + "]", i < la.size() ? la.get(i) : null, i < lb.size() ? lb.get(i) : null, out);
            }
            return;
        }
        out.add(path + ": " + a + " != " + b);
    }
}
