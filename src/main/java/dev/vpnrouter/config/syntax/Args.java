package dev.vpnrouter.config.syntax;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The values a matched command captured, by the names its pattern gave them, with the column each came from (so
 * an action can point a diagnostic at the offending argument), plus the command's canonical spelling.
 */
public final class Args {
    private final List<String> names = new ArrayList<>(8);
    private final List<Object> values = new ArrayList<>(8);
    private final List<Integer> columns = new ArrayList<>(8);
    /** Canonical words: Strings, or the Args of a fragment (spelled out only when asked). */
    private final List<Object> words = new ArrayList<>(8);
    private final int startColumn;

    Args(int startColumn) {
        this.startColumn = startColumn;
    }

    void add(String name, Object value, int column) {
        names.add(name);
        values.add(value);
        columns.add(column);
    }

    void appendCanonical(Object word) {
        words.add(word);
    }

    /** Column of the command's first word. */
    public int startColumn() {
        return startColumn;
    }

    /** The command with every keyword spelled out in full and single spaces ({@code int fa0/0} → ...). */
    public String canonical() {
        StringBuilder b = new StringBuilder(64);
        for (Object w : words) {
            if (!b.isEmpty()) {
                b.append(' ');
            }
            b.append(w instanceof Args f ? f.canonical() : (String) w);
        }
        return b.toString();
    }

    public boolean has(String name) {
        return names.contains(name);
    }

    public Object get(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no argument " + name);
        }
        return values.get(i);
    }

    /** Replaces a captured value (the parser completes multi-line text this way). */
    public void set(String name, Object value) {
        values.set(names.indexOf(name), value);
    }

    public String text(String name) {
        return (String) get(name);
    }

    public Optional<String> optText(String name) {
        return has(name) ? Optional.of(text(name)) : Optional.empty();
    }

    public int integer(String name) {
        return ((Number) get(name)).intValue();
    }

    public long number(String name) {
        return ((Number) get(name)).longValue();
    }

    public OptionalInt optInt(String name) {
        return has(name) ? OptionalInt.of(integer(name)) : OptionalInt.empty();
    }

    public int intOr(String name, int otherwise) {
        return has(name) ? integer(name) : otherwise;
    }

    /** An IPv4 address or mask as int. */
    public int ip(String name) {
        return (Integer) get(name);
    }

    public int ipOr(String name, int otherwise) {
        return has(name) ? ip(name) : otherwise;
    }

    /** The captures of a fragment argument. */
    public Args fragment(String name) {
        return (Args) get(name);
    }

    /** The captures of a repeated fragment argument, in order. */
    public List<Args> fragments(String name) {
        return all(name).stream().map(Args.class::cast).toList();
    }

    /** Every value captured under {@code name}, in order (repeated arguments). */
    public List<Object> all(String name) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equals(name)) {
                out.add(values.get(i));
            }
        }
        return out;
    }

    /** Columns of every value captured under {@code name}, in order. */
    public List<Integer> columns(String name) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equals(name)) {
                out.add(columns.get(i));
            }
        }
        return out;
    }

    /** Column of the value captured under {@code name}, or of the command when it is absent. */
    public int column(String name) {
        int i = names.indexOf(name);
        return i < 0 ? startColumn : columns.get(i);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Args{");
        for (int i = 0; i < names.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(names.get(i)).append('=').append(values.get(i));
        }
        return b.append('}').toString();
    }
}
