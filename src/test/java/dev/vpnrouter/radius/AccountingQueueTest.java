package dev.vpnrouter.radius;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.radius.AccountingRecords.Counters;
import dev.vpnrouter.radius.AccountingRecords.Session;
import dev.vpnrouter.radius.AccountingRecords.TerminateCause;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Accounting records and their queue: Start/Interim/Stop with counters split into Gigawords and the terminate
 * cause; records kept while servers are silent and retried with their delay, at the bound an Interim-Update given
 * up before anything else, every loss counted.
 */
class AccountingQueueTest {
    private static final Session SESSION = new Session("0000002A", "radiususer", Ipv4.parse("10.5.5.42"),
            "192.0.2.2", Ipv4.parse("203.0.113.1"));

    private static long value(List<Attribute> attributes, int type) {
        Attribute a = attributes.stream().filter(x -> x.type() == type).findFirst().orElseThrow();
        try {
            return a.asInteger();
        } catch (RadiusDecodeException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void recordsCarryTheSessionAndItsCountersWithGigawords() {
        List<Attribute> start = AccountingRecords.start(SESSION);
        assertThat(value(start, Attribute.ACCT_STATUS_TYPE)).isEqualTo(AccountingRecords.STATUS_START);
        assertThat(start).contains(Attribute.text(Attribute.ACCT_SESSION_ID, "0000002A"),
                Attribute.text(Attribute.USER_NAME, "radiususer"),
                Attribute.ipv4(Attribute.FRAMED_IP_ADDRESS, Ipv4.parse("10.5.5.42")),
                Attribute.text(Attribute.CALLING_STATION_ID, "192.0.2.2"));
        long big = 5L * (1L << 32) + 1_000;
        List<Attribute> stop = AccountingRecords.stop(SESSION, new Counters(big, 2_000_000, (1L << 32) + 7, 900,
                3_600), TerminateCause.LOST_CARRIER);
        assertThat(value(stop, Attribute.ACCT_STATUS_TYPE)).isEqualTo(AccountingRecords.STATUS_STOP);
        assertThat(value(stop, Attribute.ACCT_INPUT_OCTETS)).isEqualTo(1_000);
        assertThat(value(stop, Attribute.ACCT_INPUT_GIGAWORDS)).isEqualTo(5);
        assertThat(value(stop, Attribute.ACCT_OUTPUT_OCTETS)).isEqualTo(2_000_000);
        assertThat(value(stop, Attribute.ACCT_OUTPUT_GIGAWORDS)).isZero();
        assertThat(value(stop, Attribute.ACCT_INPUT_PACKETS)).as("packets wrap").isEqualTo(7);
        assertThat(value(stop, Attribute.ACCT_SESSION_TIME)).isEqualTo(3_600);
        assertThat(value(stop, Attribute.ACCT_TERMINATE_CAUSE)).isEqualTo(2);
        assertThat(value(AccountingRecords.interim(SESSION, new Counters(1, 2, 3, 4, 5)), Attribute.ACCT_STATUS_TYPE))
                .isEqualTo(AccountingRecords.STATUS_INTERIM);
    }

    /**
     * The loop asks a full queue whether anything is due on every turn while its server is silent: the answer is
     * kept, not worked out by a walk over 10,000 records (a million questions take well under a second), and it is
     * right: nothing while the most records are in flight, the retry time after they failed.
     */
    @Test
    void askingAFullQueueWhatIsDueCostsNoWalk() {
        AccountingQueue q = new AccountingQueue(10_000, 16, 5_000);
        for (int i = 0; i < 10_000; i++) {
            q.offer(AccountingRecords.start(SESSION), 0);
        }
        List<AccountingQueue.Due> sent = q.due(0);
        assertThat(sent).hasSize(16);
        assertThat(q.nextDue()).as("the most are in flight").isEqualTo(Long.MAX_VALUE);
        assertThat(q.due(1)).isEmpty();
        long t0 = System.nanoTime();
        long sum = 0;
        for (int i = 0; i < 1_000_000; i++) {
            sum += q.nextDue() == Long.MAX_VALUE ? 0 : 1;
        }
        assertThat(sum).isZero();
        assertThat(System.nanoTime() - t0).as("a million questions").isLessThan(1_000_000_000L);
        sent.forEach(d -> q.unanswered(d.id(), 100));
        assertThat(q.nextDue()).as("the records never sent are due").isLessThanOrEqualTo(100);
        List<AccountingQueue.Due> next = q.due(100);
        assertThat(next).hasSize(16).extracting(AccountingQueue.Due::id).doesNotContainAnyElementsOf(
                sent.stream().map(AccountingQueue.Due::id).toList());
        next.forEach(d -> q.answered(d.id()));
        assertThat(q.size()).isEqualTo(10_000 - 16);
    }

    @Test
    void nothingIsLostWhileServersAreSilentAndTheDelayIsSaid() {
        AccountingQueue q = new AccountingQueue(8, 2, 10_000);
        q.offer(AccountingRecords.start(SESSION), 0);
        q.offer(AccountingRecords.interim(SESSION, new Counters(1, 2, 3, 4, 5)), 1_000);
        q.offer(AccountingRecords.stop(SESSION, new Counters(1, 2, 3, 4, 6), TerminateCause.USER_REQUEST), 2_000);
        List<AccountingQueue.Due> first = q.due(2_000);
        assertThat(first).as("two in flight at most").hasSize(2);
        assertThat(q.due(2_000)).isEmpty();
        first.forEach(d -> q.unanswered(d.id(), 5_000));
        assertThat(q.nextDue()).as("the Stop was never sent").isEqualTo(0);
        List<AccountingQueue.Due> stop = q.due(5_000);
        assertThat(stop).singleElement().satisfies(d -> assertThat(value(d.attributes(), Attribute.ACCT_STATUS_TYPE))
                .isEqualTo(AccountingRecords.STATUS_STOP));
        assertThat(q.due(14_999)).isEmpty();
        q.answered(stop.getFirst().id());
        List<AccountingQueue.Due> again = q.due(15_000);
        assertThat(again).hasSize(2);
        assertThat(value(again.getFirst().attributes(), Attribute.ACCT_DELAY_TIME)).as("queued at 0").isEqualTo(15);
        assertThat(value(again.getFirst().attributes(), Attribute.ACCT_STATUS_TYPE))
                .isEqualTo(AccountingRecords.STATUS_START);
        again.forEach(d -> q.answered(d.id()));
        assertThat(q.size()).isZero();
        assertThat(q.answered()).isEqualTo(3);
        assertThat(q.dropped()).isZero();
    }

    @Test
    void atTheBoundAnInterimIsGivenUpFirstAndEveryLossIsCounted() {
        AccountingQueue q = new AccountingQueue(2, 1, 1_000);
        assertThat(q.offer(AccountingRecords.start(SESSION), 0)).isTrue();
        assertThat(q.offer(AccountingRecords.interim(SESSION, new Counters(1, 2, 3, 4, 5)), 1)).isTrue();
        assertThat(q.offer(AccountingRecords.stop(SESSION, new Counters(1, 2, 3, 4, 6), TerminateCause.ADMIN_RESET),
                2)).as("the interim makes room").isTrue();
        assertThat(q.dropped()).isEqualTo(1);
        assertThat(q.offer(AccountingRecords.start(SESSION), 3)).as("nothing left to give up").isFalse();
        assertThat(q.dropped()).isEqualTo(2);
        assertThat(q.size()).isEqualTo(2);
        List<Long> kinds = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            AccountingQueue.Due d = q.due(10).getFirst();
            kinds.add(value(d.attributes(), Attribute.ACCT_STATUS_TYPE));
            q.answered(d.id());
        }
        assertThat(kinds).containsExactly((long) AccountingRecords.STATUS_START, (long) AccountingRecords.STATUS_STOP);
    }
}
