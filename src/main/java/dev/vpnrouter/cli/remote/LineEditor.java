package dev.vpnrouter.cli.remote;

/**
 * The server side of a character terminal (an SSH vty): bytes in, what to echo and what the user asked for out.
 * IOS keys: Enter runs the line, {@code ?} asks for help right away, Tab completes, Backspace/Delete erase,
 * Ctrl-U erases the line, Ctrl-C/Ctrl-Z abandon it, Ctrl-D on an empty line logs out; escape sequences (arrow
 * keys) are swallowed. Pure: no I/O.
 */
final class LineEditor {
    /** What one byte asks for. */
    sealed interface Event {
        /** Write this to the terminal. */
        record Echo(String text) implements Event {
        }

        record Submit(String line) implements Event {
        }

        record Help(String partial) implements Event {
        }

        record Complete(String partial) implements Event {
        }

        /** Ctrl-C or Ctrl-Z: the line is gone. */
        record Abandon() implements Event {
        }

        /** Ctrl-D on an empty line. */
        record Eof() implements Event {
        }

        /** Nothing to do. */
        record None() implements Event {
        }
    }

    static final int MAX_LINE = 4096;

    private final StringBuilder line = new StringBuilder();
    private boolean lastWasCr;
    private int escape; // 0: none, 1: after ESC, 2: inside CSI

    String line() {
        return line.toString();
    }

    void replace(String text) {
        line.setLength(0);
        line.append(text);
    }

    /** One byte from the terminal; {@code echo} false while a password is typed. */
    Event feed(int b, boolean echo) {
        if (escape == 1) {
            escape = b == '[' || b == 'O' ? 2 : 0;
            return new Event.None();
        }
        if (escape == 2) {
            if (b >= 0x40 && b <= 0x7e) {
                escape = 0;
            }
            return new Event.None();
        }
        boolean afterCr = lastWasCr;
        lastWasCr = b == '\r';
        switch (b) {
            case '\r' -> {
                return submit();
            }
            case '\n' -> {
                return afterCr ? new Event.None() : submit();
            }
            case 0x1b -> {
                escape = 1;
                return new Event.None();
            }
            case 0x7f, 0x08 -> {
                if (line.isEmpty()) {
                    return new Event.None();
                }
                line.setLength(line.length() - 1);
                return echo ? new Event.Echo("\b \b") : new Event.None();
            }
            case 0x15 -> {
                int n = line.length();
                line.setLength(0);
                return echo ? new Event.Echo("\b \b".repeat(n)) : new Event.None();
            }
            case 0x03, 0x1a -> {
                line.setLength(0);
                return new Event.Abandon();
            }
            case 0x04 -> {
                return line.isEmpty() ? new Event.Eof() : new Event.None();
            }
            case '\t' -> {
                return echo ? new Event.Complete(line.toString()) : new Event.None();
            }
            case '?' -> {
                if (echo) {
                    return new Event.Help(line.toString());
                }
            }
            default -> {
            }
        }
        if (b < 0x20 || line.length() >= MAX_LINE) {
            return new Event.None();
        }
        line.append((char) b);
        return echo ? new Event.Echo(String.valueOf((char) b)) : new Event.None();
    }

    private Event submit() {
        String s = line.toString();
        line.setLength(0);
        return new Event.Submit(s);
    }
}
