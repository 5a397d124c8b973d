package dev.vpnrouter.config.syntax;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The answer to {@code ?} typed after a partial line, in IOS form: after a space, what may come next with a
 * one-line help text each; inside a word, the keywords it may abbreviate; or why the line so far is wrong.
 */
public sealed interface Help {

    /** One line of a listing: the word, an argument placeholder or {@code <cr>}, and what it means. */
    record Entry(Kind kind, String word, String help) {
        /** IOS lists arguments first (in definition order), then keywords alphabetically, then {@code <cr>}. */
        public enum Kind { ARGUMENT, KEYWORD, CR }

        public static final Entry CR = new Entry(Kind.CR, "<cr>", "");

        static final Comparator<Entry> ORDER = (a, b) -> a.kind != b.kind ? a.kind.compareTo(b.kind)
                : a.kind == Kind.KEYWORD ? a.word.compareTo(b.word) : 0;
    }

    /** After a space: what may follow. */
    record Next(List<Entry> entries) implements Help {
        public Next {
            entries = List.copyOf(entries);
        }

        /**
         * The listing as IOS prints it: two leading spaces, each word padded to the widest plus two, then its help;
         * a blank line after.
         */
        public String text() {
            int width = 0;
            for (Entry e : entries) {
                width = Math.max(width, e.word().length());
            }
            StringBuilder sb = new StringBuilder();
            for (Entry e : entries) {
                sb.append("  ").append(e.word());
                if (!e.help().isEmpty()) {
                    sb.append(" ".repeat(width - e.word().length() + 2)).append(e.help());
                }
                sb.append('\n');
            }
            return sb.append('\n').toString();
        }
    }

    /**
     * Inside a word: the keywords it may abbreviate, or when none, the placeholders of the arguments it fits
     * ({@code keywords} false).
     */
    record Words(List<String> words, boolean keywords) implements Help {
        public Words {
            words = List.copyOf(words);
        }

        public String text() {
            return String.join("  ", words) + "  \n\n";
        }

        /**
         * Tab: {@code partial} with its last word completed when it is a keyword exactly or abbreviates only one;
         * null otherwise (an argument is the user's to type).
         */
        public String completion(String partial) {
            if (!keywords) {
                return null;
            }
            List<Token> tokens = Tokenizer.tokenize(partial);
            Token last = tokens.getLast();
            String word = words.contains(last.lower()) ? last.lower() : words.size() == 1 ? words.getFirst() : null;
            return word == null ? null : partial.substring(0, last.column() - 1) + word + " ";
        }
    }

    /** The line so far is no beginning of a command: the IOS message and where the caret goes. */
    record Failed(MatchResult.Failed<?> failure) implements Help {
    }

    /**
     * The help of several trees that are all valid at one point (a mode's own commands and the commands every mode
     * takes): their listings joined, each word once (the first tree's text wins); when all failed, the failure that
     * got furthest.
     */
    static Help merge(List<Help> answers) {
        Map<String, Entry> next = new LinkedHashMap<>();
        TreeSet<String> keywords = new TreeSet<>();
        TreeSet<String> placeholders = new TreeSet<>();
        boolean anyNext = false;
        boolean anyWords = false;
        MatchResult.Failed<?> furthest = null;
        for (Help h : answers) {
            switch (h) {
                case Next n -> {
                    anyNext = true;
                    n.entries().forEach(e -> next.putIfAbsent(e.word(), e));
                }
                case Words w -> {
                    anyWords = true;
                    (w.keywords() ? keywords : placeholders).addAll(w.words());
                }
                case Failed f -> {
                    if (furthest == null || f.failure().column() > furthest.column()) {
                        furthest = f.failure();
                    }
                }
            }
        }
        if (anyNext) {
            List<Entry> entries = new ArrayList<>(next.values());
            entries.sort(Entry.ORDER);
            return new Next(entries);
        }
        if (anyWords) {
            return keywords.isEmpty() ? new Words(List.copyOf(placeholders), false)
                    : new Words(List.copyOf(keywords), true);
        }
        return new Failed(furthest);
    }

    /** {@link #merge} of any number of answers. */
    static Help merge(Help... answers) {
        return merge(List.of(answers));
    }
}
