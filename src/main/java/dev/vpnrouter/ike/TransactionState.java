package dev.vpnrouter.ike;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;

/**
 * The Transaction exchanges of one SA (Xauth and Mode Config each use their own message ID): the request we wait an
 * answer for, with its retransmission, the answers we gave (a retransmitted request gets the same answer again)
 * and the message IDs already finished (a late duplicate is dropped without touching any IV).
 */
final class TransactionState {
    /** What our outstanding request is. */
    enum Kind { XAUTH_REQUEST, XAUTH_SET, MODECFG_SET, MODECFG_REQUEST }

    private static final int REMEMBERED_ANSWERS = 4;
    private static final int REMEMBERED_DONE = 16;

    private Kind outstanding;
    private int outstandingMid;
    private final Retransmission retransmission = new Retransmission();

    private final LinkedHashMap<Long, Datagram> answers = new LinkedHashMap<>();
    private final LinkedHashSet<Integer> done = new LinkedHashSet<>();

    boolean waitingFor(int mid) {
        return outstanding != null && outstandingMid == mid;
    }

    void expect(Kind kind, int mid) {
        outstanding = kind;
        outstandingMid = mid;
    }

    /** What our outstanding request is, or null. */
    Kind outstanding() {
        return outstanding;
    }

    int outstandingMid() {
        return outstandingMid;
    }

    Retransmission retransmission() {
        return retransmission;
    }

    /** Our request went unanswered to the end: nothing is outstanding any more. */
    void gaveUp() {
        outstanding = null;
    }

    /** Our outstanding request was answered: stop resending it. */
    void answered(ExchangeDriver driver, IkeSa sa) {
        retransmission.answered();
        finish(driver, sa, outstandingMid);
        outstanding = null;
    }

    void rememberAnswer(long requestFingerprint, Datagram answer) {
        answers.put(requestFingerprint, answer);
        trim(answers.keySet().iterator(), answers.size() - REMEMBERED_ANSWERS);
    }

    Datagram answerTo(long requestFingerprint) {
        return answers.get(requestFingerprint);
    }

    /** The exchange is over: its IV is no longer needed, and late copies are duplicates. */
    void finish(ExchangeDriver driver, IkeSa sa, int mid) {
        driver.exchangeEnded(sa, mid);
        done.add(mid);
        trim(done.iterator(), done.size() - REMEMBERED_DONE);
    }

    boolean finished(int mid) {
        return done.contains(mid);
    }

    private static void trim(Iterator<?> it, int excess) {
        for (int i = 0; i < excess && it.hasNext(); i++) {
            it.next();
            it.remove();
        }
    }
}
