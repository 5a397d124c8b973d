package dev.vpnrouter.config.syntax;

import java.util.List;

/**
 * A typed argument slot in a command pattern (a word, a number in a range, an address, ...). Most consume one
 * token; some (an interface name written "FastEthernet 0/0", a rest-of-line description) consume more.
 */
public interface ArgType {
    /** Identity of this type in the command tree, e.g. {@code INT(1-99)}; two slots with equal ids merge. */
    String id();

    /** What {@code ?} shows for this slot in IOS style: {@code WORD}, {@code A.B.C.D}, {@code <1-10000>}, {@code LINE}. */
    default String placeholder() {
        return id();
    }

    /** The help text {@code ?} shows when the command does not describe this slot itself. */
    default String description() {
        return "";
    }

    /** Whether this type takes every word left on the line (so nothing can follow it). */
    default boolean restOfLine() {
        return false;
    }

    /** Parses at {@code tokens[index]}; returns {@code null} when the token is not of this type. */
    Parsed parse(List<Token> tokens, int index, String line);

    /**
     * Why {@link #parse} returned null, when this type can say more than "the word at {@code index} is wrong" (a
     * fragment that failed further on, was ambiguous or incomplete); null for the plain case.
     */
    default MatchResult.Failed<?> explain(List<Token> tokens, int index, String line) {
        return null;
    }

    /**
     * A parsed value, the number of tokens it used and its canonical spelling (for passive-line text); a fragment
     * leaves the spelling null and is spelled from its captures when needed.
     */
    record Parsed(Object value, int consumed, String canonical) {
    }
}
