package dev.vpnrouter.config;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where each element of a parsed configuration came from. Keyed by object identity, so model records stay free of
 * line numbers (and compare equal to the same configuration parsed from other text). Fields are named by the
 * builder that recorded them, e.g. {@code "keyring"} on an ISAKMP profile or {@code "transform-set:myset"} on a
 * crypto map entry.
 */
public final class SourceMap {
    /** A 1-based line and column; {@link #NONE} when unknown. */
    public record Where(int line, int column) {
        public static final Where NONE = new Where(0, 0);
    }

    private final Map<Object, Where> elements = new IdentityHashMap<>();
    private final Map<Object, Map<String, Where>> fields = new IdentityHashMap<>();

    public void put(Object element, Where where) {
        elements.put(element, where);
    }

    public void put(Object element, String field, Where where) {
        fields.computeIfAbsent(element, e -> new HashMap<>(4)).put(field, where);
    }

    public Optional<Where> find(Object element) {
        return Optional.ofNullable(elements.get(element));
    }

    public Optional<Where> find(Object element, String field) {
        Map<String, Where> f = fields.get(element);
        return f == null ? Optional.empty() : Optional.ofNullable(f.get(field));
    }

    /** The element's position, or {@link Where#NONE}. */
    public Where at(Object element) {
        return elements.getOrDefault(element, Where.NONE);
    }

    /** The field's position, else the element's, else {@link Where#NONE}. */
    public Where at(Object element, String field) {
        return find(element, field).orElseGet(() -> at(element));
    }

    /** Line of the element, 0 when unknown. */
    public int lineOf(Object element) {
        return at(element).line();
    }
}
