package dev.vpnrouter.ike;

import dev.vpnrouter.ike.crypto.IkeSaKeys;
import dev.vpnrouter.ike.crypto.IvChain;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The IV chains of one ISAKMP SA (RFC 2409 appendix B): phase 1's, then one per exchange (message ID) started from
 * the end of phase 1. Only {@link ExchangeDriver} moves them on, and only once a message verified.
 */
final class MessageIvs {
    private IvChain phase1;
    private final Map<Integer, IvChain> byMessageId = new HashMap<>();

    IvChain phase1() {
        return phase1;
    }

    void phase1(IvChain iv) {
        this.phase1 = iv;
    }

    /** The chain of exchange {@code messageId}, started from the end of phase 1 on first use. */
    IvChain of(IkeSaKeys keys, int messageId) {
        return byMessageId.computeIfAbsent(messageId, id -> keys.messageIv(phase1, id));
    }

    /** The chain of exchange {@code messageId} if it started, else null. */
    IvChain get(int messageId) {
        return byMessageId.get(messageId);
    }

    void put(int messageId, IvChain iv) {
        byMessageId.put(messageId, iv);
    }

    void remove(int messageId) {
        byMessageId.remove(messageId);
    }

    boolean has(int messageId) {
        return byMessageId.containsKey(messageId);
    }

    int size() {
        return byMessageId.size();
    }

    /** Folds every chain into one number (tests: did a message change any IV?). */
    int stateHash() {
        return Objects.hash(phase1, byMessageId);
    }
}
