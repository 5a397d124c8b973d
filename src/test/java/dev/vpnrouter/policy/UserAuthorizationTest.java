package dev.vpnrouter.policy;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.policy.UserAuthorization.Assignment;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a server's Accept may decide about a client's address: within the configuration's pools and only a free
 * address; anything else refuses the client.
 */
class UserAuthorizationTest {
    /** ippool 10.5.5.1-10.5.5.254 with 10.5.5.9 held; other 10.6.6.1-10.6.6.10. */
    private static final UserAuthorization.Pools POOLS = new UserAuthorization.Pools() {
        private final Map<String, int[]> ranges = Map.of("ippool", new int[] {Ipv4.parse("10.5.5.1"),
                Ipv4.parse("10.5.5.254")}, "other", new int[] {Ipv4.parse("10.6.6.1"), Ipv4.parse("10.6.6.10")});

        @Override
        public boolean exists(String pool) {
            return ranges.containsKey(pool);
        }

        @Override
        public boolean contains(String pool, int address) {
            int[] r = ranges.get(pool);
            return r != null && Integer.compareUnsigned(address, r[0]) >= 0
                    && Integer.compareUnsigned(address, r[1]) <= 0;
        }

        @Override
        public String holder(String pool, int address) {
            return address == Ipv4.parse("10.5.5.9") ? "grp/someone" : null;
        }
    };

    private static Assignment assign(String framed, String framedPool, String groupPool) {
        return new UserAuthorization(framed == null ? 0 : Ipv4.parse(framed), framedPool, 0).assign(groupPool, POOLS);
    }

    @Test
    void theServerPicksWithinWhatTheConfigurationOffers() {
        assertThat(UserAuthorization.NONE.assign("ippool", POOLS)).isEqualTo(new Assignment.FromPool("ippool", 0));
        assertThat(UserAuthorization.NONE.assign(null, POOLS)).isEqualTo(new Assignment.NoAddress());
        assertThat(assign("10.5.5.77", null, "ippool"))
                .isEqualTo(new Assignment.FromPool("ippool", Ipv4.parse("10.5.5.77")));
        assertThat(assign(null, "other", "ippool")).as("Framed-Pool picks the pool")
                .isEqualTo(new Assignment.FromPool("other", 0));
        assertThat(assign("10.6.6.5", "other", "ippool"))
                .isEqualTo(new Assignment.FromPool("other", Ipv4.parse("10.6.6.5")));
    }

    @Test
    void anythingElseIsRefused() {
        assertThat(assign("10.9.9.9", null, "ippool")).as("outside the pool").isInstanceOf(Assignment.Refused.class);
        assertThat(assign("10.5.5.9", null, "ippool")).as("held").isInstanceOf(Assignment.Refused.class);
        assertThat(assign("10.5.5.77", "other", "ippool")).as("outside the pool the server named")
                .isInstanceOf(Assignment.Refused.class);
        assertThat(assign(null, "nosuch", "ippool")).isInstanceOf(Assignment.Refused.class);
        assertThat(assign("10.5.5.77", null, null)).as("a group without a pool")
                .isInstanceOf(Assignment.Refused.class);
    }
}
