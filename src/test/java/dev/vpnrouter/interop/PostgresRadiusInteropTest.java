package dev.vpnrouter.interop;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.radius.Attribute;
import dev.vpnrouter.radius.RadiusClient;
import dev.vpnrouter.radius.RadiusClient.Outcome;
import dev.vpnrouter.radius.RadiusClient.Request;
import dev.vpnrouter.radius.RadiusClient.Server;
import dev.vpnrouter.radius.RadiusPacket;
import dev.vpnrouter.radius.RadiusTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The FreeRADIUS-on-PostgreSQL harness ({@link PostgresRadius}) and its cluster queries, spoken to by our RADIUS
 * client from two hub addresses (two NASes of one cluster): users and group AV-pairs from SQL; sqlippool gives each
 * user its own address and the same one back on the other hub while the lease holds; concurrent logins from both
 * hubs never share an address; a used-up pool refuses rather than accept without an address; Simultaneous-Use := 1
 * over radacct refuses a second login from elsewhere on either hub, lets the client itself back in through the
 * other hub, and counts a session no more once its hub has been silent past the stale bound; a Stop frees the lease.
 * A group's {@code ipsec:max-users} in radgroupreply holds across both hubs the same way.
 * With PostgreSQL down FreeRADIUS answers neither logins nor accounting (so a hub falls back, and keeps its records),
 * and both work again once it is back.
 */
@Interop
class PostgresRadiusInteropTest {
    private static final String SECRET = "sql-cluster-secret";
    private static final String RADIUS = "192.0.2.10";
    private static final String HUB1 = "192.0.2.1";
    private static final String HUB2 = "192.0.2.2";
    private static final String POOL_FIRST = "10.5.5.100";
    private static final int POOL_SIZE = 40;

    private static Request login(String hub, String user, String password, String station) {
        return Request.access(List.of(Attribute.text(Attribute.USER_NAME, user),
                        Attribute.ipv4(Attribute.NAS_IP_ADDRESS, Ipv4.parse(hub)),
                        Attribute.integer(Attribute.NAS_PORT_TYPE, Attribute.NAS_PORT_TYPE_VIRTUAL),
                        Attribute.text(Attribute.CALLING_STATION_ID, station)),
                password.getBytes(StandardCharsets.UTF_8));
    }

    private static Request accounting(String hub, int status, String session, String user, String address,
                                      String station) {
        return Request.accounting(List.of(Attribute.integer(Attribute.ACCT_STATUS_TYPE, status),
                Attribute.text(Attribute.ACCT_SESSION_ID, session),
                Attribute.text(Attribute.USER_NAME, user),
                Attribute.ipv4(Attribute.FRAMED_IP_ADDRESS, Ipv4.parse(address)),
                Attribute.text(Attribute.CALLING_STATION_ID, station),
                Attribute.ipv4(Attribute.NAS_IP_ADDRESS, Ipv4.parse(hub))));
    }

    private static RadiusPacket answer(CompletableFuture<Outcome> f) throws Exception {
        Outcome o = f.get(30, TimeUnit.SECONDS);
        assertThat(o).isInstanceOf(Outcome.Answered.class);
        return ((Outcome.Answered) o).response();
    }

    private static String framed(RadiusPacket accept) throws Exception {
        assertThat(accept.code()).as("Access-Accept").isEqualTo(RadiusPacket.ACCESS_ACCEPT);
        return Ipv4.format((int) accept.first(Attribute.FRAMED_IP_ADDRESS).asInteger());
    }

    @Test
    @Timeout(180)
    void usersGroupsPoolAndSimultaneousUseForTwoHubs() throws Exception {
        PostgresRadius.requirePrograms();
        Path work = Topology.workDir("postgres-radius-" + ProcessHandle.current().pid());
        try (NetNs.Pair pair = NetNs.Pair.linked("hubs", HUB1 + "/24", "aaa", RADIUS + "/24", "rad0")) {
            NetNs hubs = pair.left();
            hubs.addAddress("rad0", HUB2 + "/24");
            // Sessions go stale after 20 s without a word from their hub, so the test can see it happen.
            try (PostgresRadius aaa = PostgresRadius.start(pair.right(), work,
                    new PostgresRadius.Settings(RADIUS, List.of(HUB1, HUB2), SECRET, 3600, 20))) {
                aaa.addGroupReply("vpnusers", "Cisco-AVPair", "+=", "ipsec:dns-servers=10.2.2.2");
                aaa.addGroupReply("vpnusers", "Cisco-AVPair", "+=", "ipsec:default-domain=example.net");
                aaa.addPool("vpnusers", "sqlpool", POOL_FIRST, Ipv4.format(Ipv4.parse(POOL_FIRST) + POOL_SIZE - 1));
                aaa.addUser("alice", "alicepw");
                aaa.addUserToGroup("alice", "vpnusers");
                aaa.addUserCheck("alice", "Simultaneous-Use", ":=", "1");
                aaa.addUser("bob", "bobpw");
                aaa.addUserToGroup("bob", "vpnusers");
                // A group whose policy lives in RADIUS: no pool, no address is taken for its login.
                aaa.addUser("testgroup", "cisco");
                aaa.addUserReply("testgroup", "Cisco-AVPair", "+=", "ipsec:tunnel-password=cisco321");
                for (int i = 0; i < 60; i++) {
                    aaa.addUser("user" + i, "pw" + i);
                    aaa.addUserToGroup("user" + i, "vpnusers");
                }

                RadiusClient.Settings quick = new RadiusClient.Settings(2_000, 2, 0, 64, false);
                List<Server> auth = List.of(new Server("fr", Ipv4.parse(RADIUS), 1812,
                        SECRET.getBytes(StandardCharsets.UTF_8)));
                List<Server> acct = List.of(new Server("fr", Ipv4.parse(RADIUS), 1813,
                        SECRET.getBytes(StandardCharsets.UTF_8)));
                try (RadiusTransport hub1 = hubs.call(() -> new RadiusTransport(new RadiusClient(auth, quick,
                        new SecureRandom()), Ipv4.parse(HUB1)));
                     RadiusTransport hub2 = hubs.call(() -> new RadiusTransport(new RadiusClient(auth, quick,
                             new SecureRandom()), Ipv4.parse(HUB2)));
                     RadiusTransport acct1 = hubs.call(() -> new RadiusTransport(new RadiusClient(acct, quick,
                             new SecureRandom()), Ipv4.parse(HUB1)));
                     RadiusTransport acct2 = hubs.call(() -> new RadiusTransport(new RadiusClient(acct, quick,
                             new SecureRandom()), Ipv4.parse(HUB2)))) {
                    String home = "198.51.100.7";
                    String elsewhere = "203.0.113.50";

                    // Users and group AV-pairs from SQL, the address from sqlippool.
                    RadiusPacket accept = answer(hub1.submit(login(HUB1, "alice", "alicepw", home)));
                    String alice = framed(accept);
                    assertThat(accept.ciscoAvPairs()).contains("ipsec:dns-servers=10.2.2.2",
                            "ipsec:default-domain=example.net");
                    assertThat(aaa.leases()).filteredOn(l -> l.address().equals(alice)).singleElement()
                            .satisfies(l -> {
                                assertThat(l.poolKey()).isEqualTo("alice");
                                assertThat(l.nas()).isEqualTo(HUB1);
                                assertThat(l.held()).isTrue();
                            });
                    assertThat(answer(hub1.submit(login(HUB1, "alice", "wrong", home))).code())
                            .isEqualTo(RadiusPacket.ACCESS_REJECT);
                    RadiusPacket group = answer(hub1.submit(login(HUB1, "testgroup", "cisco", home)));
                    assertThat(group.code()).isEqualTo(RadiusPacket.ACCESS_ACCEPT);
                    assertThat(group.first(Attribute.FRAMED_IP_ADDRESS)).as("a group login takes no address")
                            .isNull();
                    assertThat(aaa.postAuth("alice")).containsExactly("Access-Accept", "Access-Reject");

                    // alice's session starts on hub 1: Simultaneous-Use := 1 now refuses her from elsewhere, on
                    // either hub, and from the same address on the same hub.
                    assertThat(answer(acct1.submit(accounting(HUB1, 1, "0000A1", "alice", alice, home))).code())
                            .isEqualTo(RadiusPacket.ACCOUNTING_RESPONSE);
                    assertThat(aaa.sessions()).singleElement().satisfies(s -> {
                        assertThat(s.user()).isEqualTo("alice");
                        assertThat(s.nas()).isEqualTo(HUB1);
                        assertThat(s.framedAddress()).isEqualTo(alice);
                        assertThat(s.stopped()).isFalse();
                    });
                    assertThat(answer(hub2.submit(login(HUB2, "alice", "alicepw", elsewhere))).code())
                            .as("a second login from elsewhere, hub 2").isEqualTo(RadiusPacket.ACCESS_REJECT);
                    assertThat(answer(hub1.submit(login(HUB1, "alice", "alicepw", elsewhere))).code())
                            .as("a second login from elsewhere, hub 1").isEqualTo(RadiusPacket.ACCESS_REJECT);
                    assertThat(answer(hub1.submit(login(HUB1, "alice", "alicepw", home))).code())
                            .as("again from home through the same hub").isEqualTo(RadiusPacket.ACCESS_REJECT);
                    assertThat(aaa.radius().log()).contains("Multiple logins (max 1)");

                    // Hub 1 dies without a Stop: alice comes back through hub 2 from her address and gets her
                    // address back while the lease holds.
                    assertThat(framed(answer(hub2.submit(login(HUB2, "alice", "alicepw", home)))))
                            .as("the returning client keeps its address").isEqualTo(alice);
                    assertThat(aaa.leases()).filteredOn(l -> l.poolKey().equals("alice")).singleElement()
                            .satisfies(l -> assertThat(l.nas()).isEqualTo(HUB2));
                    assertThat(answer(acct2.submit(accounting(HUB2, 1, "0000B1", "alice", alice, home))).code())
                            .isEqualTo(RadiusPacket.ACCOUNTING_RESPONSE);
                    assertThat(answer(hub1.submit(login(HUB1, "alice", "alicepw", elsewhere))).code())
                            .as("beyond max-logins after the move").isEqualTo(RadiusPacket.ACCESS_REJECT);

                    // A late Stop from hub 1 for the old session does not free the lease hub 2's session holds.
                    answer(acct1.submit(accounting(HUB1, 2, "0000A1", "alice", alice, home)));
                    assertThat(aaa.leases()).filteredOn(l -> l.poolKey().equals("alice")).singleElement()
                            .satisfies(l -> assertThat(l.held()).isTrue());

                    // bob logs in from two places (no Simultaneous-Use): two sessions, two addresses.
                    String bob1 = framed(answer(hub1.submit(login(HUB1, "bob", "bobpw", home))));
                    String bob2 = framed(answer(hub2.submit(login(HUB2, "bob", "bobpw", elsewhere))));
                    assertThat(bob1).isNotEqualTo(bob2).isNotEqualTo(alice);

                    // 60 users from both hubs at once into the 37 addresses left: every address once, the rest
                    // refused (accepted without an address, a hub would pick one of its own).
                    List<CompletableFuture<Outcome>> all = new ArrayList<>();
                    for (int i = 0; i < 60; i++) {
                        RadiusTransport via = i % 2 == 0 ? hub1 : hub2;
                        all.add(via.submit(login(i % 2 == 0 ? HUB1 : HUB2, "user" + i, "pw" + i, "192.0.2." + i)));
                    }
                    Set<String> given = new HashSet<>(List.of(alice, bob1, bob2));
                    int refused = 0;
                    for (CompletableFuture<Outcome> f : all) {
                        RadiusPacket p = answer(f);
                        if (p.code() == RadiusPacket.ACCESS_REJECT) {
                            refused++;
                        } else {
                            assertThat(given.add(framed(p))).as("an address given twice").isTrue();
                        }
                    }
                    assertThat(given).hasSize(POOL_SIZE);
                    assertThat(refused).isEqualTo(60 - (POOL_SIZE - 3));
                    assertThat(aaa.leases()).hasSize(POOL_SIZE).allMatch(PostgresRadius.Lease::held);

                    // hub 2's Stop frees alice's lease for others.
                    answer(acct2.submit(accounting(HUB2, 2, "0000B1", "alice", alice, home)));
                    assertThat(aaa.leases()).filteredOn(l -> l.address().equals(alice)).singleElement()
                            .satisfies(l -> assertThat(l.held()).isFalse());

                    // A session whose hub says nothing for longer than the stale bound counts no more.
                    aaa.addUser("carol", "carolpw");
                    aaa.addUserCheck("carol", "Simultaneous-Use", ":=", "1");
                    answer(acct1.submit(accounting(HUB1, 1, "0000C1", "carol", "10.9.9.9", home)));
                    assertThat(answer(hub2.submit(login(HUB2, "carol", "carolpw", elsewhere))).code())
                            .isEqualTo(RadiusPacket.ACCESS_REJECT);
                    aaa.sql("UPDATE radacct SET acctstarttime = acctstarttime - interval '21 seconds',"
                            + " acctupdatetime = acctupdatetime - interval '21 seconds'"
                            + " WHERE username = 'carol'");
                    assertThat(answer(hub2.submit(login(HUB2, "carol", "carolpw", elsewhere))).code())
                            .as("hub 1 silent past the bound").isEqualTo(RadiusPacket.ACCESS_ACCEPT);

                    // PostgreSQL down: FreeRADIUS answers nothing (the hub falls back as for a dead server) and
                    // acknowledges no accounting record, so the hub keeps it; once PostgreSQL is back both work.
                    aaa.stopPostgres();
                    assertThat(hub1.submit(login(HUB1, "bob", "bobpw", home)).get(30, TimeUnit.SECONDS))
                            .as("a login while the database is down").isInstanceOf(Outcome.NoAnswer.class);
                    Request held = accounting(HUB1, 1, "0000D1", "bob", bob1, home);
                    assertThat(acct1.submit(held).get(30, TimeUnit.SECONDS))
                            .as("a Start while the database is down").isInstanceOf(Outcome.NoAnswer.class);
                    aaa.startPostgres();
                    Outcome acked = Await.until("FreeRADIUS back on its database", Duration.ofSeconds(30),
                            () -> {
                                try {
                                    return acct1.submit(held).get(30, TimeUnit.SECONDS);
                                } catch (Exception e) {
                                    throw new AssertionError(e);
                                }
                            }, o -> o instanceof Outcome.Answered);
                    assertThat(((Outcome.Answered) acked).response().code())
                            .isEqualTo(RadiusPacket.ACCOUNTING_RESPONSE);
                    assertThat(aaa.sessions()).filteredOn(s -> s.sessionId().equals("0000D1")).singleElement()
                            .satisfies(s -> assertThat(s.framedAddress()).isEqualTo(bob1));
                    assertThat(answer(hub1.submit(login(HUB1, "bob", "bobpw", home))).code())
                            .isEqualTo(RadiusPacket.ACCESS_ACCEPT);
                }
            }
        }
    }

    /**
     * A group's {@code ipsec:max-users} across the cluster, from its own Cisco-AVPair in radgroupreply and counted
     * over radacct by FreeRADIUS ({@code group_max_users_query}): with max-users=2 and two users of the group on, a
     * third distinct user is refused on either hub (and given no address), users of other groups are not; a user
     * coming back through the other hub from the same station is not counted against itself; a Stop, or a session
     * whose hub has been silent past the stale bound, lets the third user in.
     */
    @Test
    @Timeout(120)
    void groupMaxUsersHoldsAcrossTheHubs() throws Exception {
        PostgresRadius.requirePrograms();
        Path work = Topology.workDir("postgres-radius-maxusers-" + ProcessHandle.current().pid());
        try (NetNs.Pair pair = NetNs.Pair.linked("hubs", HUB1 + "/24", "aaa", RADIUS + "/24", "rad0")) {
            NetNs hubs = pair.left();
            hubs.addAddress("rad0", HUB2 + "/24");
            try (PostgresRadius aaa = PostgresRadius.start(pair.right(), work,
                    new PostgresRadius.Settings(RADIUS, List.of(HUB1, HUB2), SECRET, 3600, 20))) {
                aaa.addGroupReply("capped", "Cisco-AVPair", "+=", "ipsec:dns-servers=10.2.2.2");
                aaa.addGroupReply("capped", "Cisco-AVPair", "+=", "ipsec:max-users=2");
                aaa.addPool("capped", "sqlpool", POOL_FIRST, Ipv4.format(Ipv4.parse(POOL_FIRST) + 9));
                // A malformed limit is no limit (and no error): the pair is not a number.
                aaa.addGroupReply("broken", "Cisco-AVPair", "+=", "ipsec:max-users=notanumber");
                for (String u : List.of("u1", "u2", "u3")) {
                    aaa.addUser(u, u + "pw");
                    aaa.addUserToGroup(u, "capped");
                }
                aaa.addUser("other", "otherpw");
                aaa.addUserToGroup("other", "broken");

                RadiusClient.Settings quick = new RadiusClient.Settings(2_000, 2, 0, 64, false);
                List<Server> auth = List.of(new Server("fr", Ipv4.parse(RADIUS), 1812,
                        SECRET.getBytes(StandardCharsets.UTF_8)));
                List<Server> acct = List.of(new Server("fr", Ipv4.parse(RADIUS), 1813,
                        SECRET.getBytes(StandardCharsets.UTF_8)));
                try (RadiusTransport hub1 = hubs.call(() -> new RadiusTransport(new RadiusClient(auth, quick,
                        new SecureRandom()), Ipv4.parse(HUB1)));
                     RadiusTransport hub2 = hubs.call(() -> new RadiusTransport(new RadiusClient(auth, quick,
                             new SecureRandom()), Ipv4.parse(HUB2)));
                     RadiusTransport acct1 = hubs.call(() -> new RadiusTransport(new RadiusClient(acct, quick,
                             new SecureRandom()), Ipv4.parse(HUB1)));
                     RadiusTransport acct2 = hubs.call(() -> new RadiusTransport(new RadiusClient(acct, quick,
                             new SecureRandom()), Ipv4.parse(HUB2)))) {
                    String s1 = "198.51.100.1";
                    String s2 = "198.51.100.2";
                    String s3 = "198.51.100.3";
                    String a1 = framed(answer(hub1.submit(login(HUB1, "u1", "u1pw", s1))));
                    answer(acct1.submit(accounting(HUB1, 1, "00M1", "u1", a1, s1)));
                    String a2 = framed(answer(hub2.submit(login(HUB2, "u2", "u2pw", s2))));
                    answer(acct2.submit(accounting(HUB2, 1, "00M2", "u2", a2, s2)));
                    assertThat(aaa.sessions()).hasSize(2);

                    // Two of the group on, one through each hub: the third is refused on either hub.
                    assertThat(answer(hub1.submit(login(HUB1, "u3", "u3pw", s3))).code())
                            .as("a third user, hub 1").isEqualTo(RadiusPacket.ACCESS_REJECT);
                    assertThat(answer(hub2.submit(login(HUB2, "u3", "u3pw", s3))).code())
                            .as("a third user, hub 2").isEqualTo(RadiusPacket.ACCESS_REJECT);
                    assertThat(aaa.leases()).filteredOn(l -> l.poolKey().equals("u3")).as("no address for u3")
                            .isEmpty();
                    assertThat(aaa.radius().log()).contains("Login incorrect (group max-users reached): [u3]");
                    // A second session of a user already on is a session more: refused as well.
                    assertThat(answer(hub2.submit(login(HUB2, "u1", "u1pw", s3))).code())
                            .as("u1 again from elsewhere").isEqualTo(RadiusPacket.ACCESS_REJECT);
                    // The client itself back through the other hub (its first hub died): not counted twice.
                    assertThat(framed(answer(hub2.submit(login(HUB2, "u1", "u1pw", s1)))))
                            .as("u1 back through hub 2").isEqualTo(a1);
                    // Another group's users are not held by this group's limit; a malformed limit is none.
                    assertThat(answer(hub1.submit(login(HUB1, "other", "otherpw", s3))).code())
                            .isEqualTo(RadiusPacket.ACCESS_ACCEPT);

                    // u2 Stops on hub 2: u3 gets in, through hub 1.
                    answer(acct2.submit(accounting(HUB2, 2, "00M2", "u2", a2, s2)));
                    String a3 = framed(answer(hub1.submit(login(HUB1, "u3", "u3pw", s3))));
                    answer(acct1.submit(accounting(HUB1, 1, "00M3", "u3", a3, s3)));
                    assertThat(answer(hub2.submit(login(HUB2, "u2", "u2pw", s2))).code())
                            .as("full again").isEqualTo(RadiusPacket.ACCESS_REJECT);

                    // Hub 1 silent past the stale bound (it died without Stops): its sessions hold the group no
                    // more, so it is not locked out.
                    aaa.sql("UPDATE radacct SET acctstarttime = acctstarttime - interval '21 seconds',"
                            + " acctupdatetime = acctupdatetime - interval '21 seconds'"
                            + " WHERE host(nasipaddress) = '" + HUB1 + "'");
                    assertThat(answer(hub2.submit(login(HUB2, "u2", "u2pw", s2))).code())
                            .as("hub 1 silent past the bound").isEqualTo(RadiusPacket.ACCESS_ACCEPT);
                }
            }
        }
    }

    /**
     * The locking claims of {@code sql/ippool-queries.conf}, shown on PostgreSQL with the queries as FreeRADIUS
     * expands them and two connections, without relying on timing luck: while one hub's allocation holds a free row
     * (its transaction open), another hub's {@code allocate_find} takes the next row at once (SKIP LOCKED) rather
     * than the same one or waiting; and while one login of a user holds its row, a racing login of the same user
     * through {@code allocate_existing} waits and then gets that same row, never a second address.
     */
    @Test
    @Timeout(120)
    void theIppoolQueriesLockSoNoAddressIsHandedOutTwice() throws Exception {
        PostgresRadius.requirePrograms();
        Path work = Topology.workDir("postgres-radius-locks-" + ProcessHandle.current().pid());
        try (NetNs.Pair pair = NetNs.Pair.linked("hubs", HUB1 + "/24", "aaa", RADIUS + "/24", "rad0");
             PostgresRadius aaa = PostgresRadius.start(pair.right(), work, PostgresRadius.Settings.of(RADIUS, SECRET,
                     HUB1), false)) {
            aaa.addPool("vpnusers", "sqlpool", "10.5.5.100", "10.5.5.103");
            String conf = new String(getClass().getResourceAsStream("/freeradius/sql/ippool-queries.conf")
                    .readAllBytes(), StandardCharsets.UTF_8);
            var executor = java.util.concurrent.Executors.newSingleThreadExecutor();
            try (PostgresRadius.Connection hub1 = aaa.connect(); PostgresRadius.Connection hub2 = aaa.connect()) {
                hub1.run("BEGIN");
                List<String> first = hub1.run(ippoolQuery(conf, "allocate_find", "alice", HUB1, "198.51.100.7"));
                assertThat(first).hasSize(1);
                CompletableFuture<List<String>> other = CompletableFuture.supplyAsync(() -> run(hub2,
                        ippoolQuery(conf, "allocate_find", "bob", HUB2, "203.0.113.50")), executor);
                List<String> second = other.get(5, TimeUnit.SECONDS);
                assertThat(second).as("the next free row, without waiting for hub 1's transaction").hasSize(1)
                        .doesNotContainAnyElementsOf(first);
                hub1.run("COMMIT");

                hub1.run("BEGIN");
                assertThat(hub1.run(ippoolQuery(conf, "allocate_existing", "alice", HUB1, "198.51.100.7")))
                        .isEqualTo(first);
                CompletableFuture<List<String>> racing = CompletableFuture.supplyAsync(() -> run(hub2,
                        ippoolQuery(conf, "allocate_existing", "alice", HUB2, "198.51.100.7")), executor);
                Thread.sleep(1_000);
                assertThat(racing).as("the racing login waits for the row").isNotDone();
                hub1.run("COMMIT");
                assertThat(racing.get(10, TimeUnit.SECONDS)).as("the same row, not a second address")
                        .isEqualTo(first);
            } finally {
                executor.shutdownNow();
            }
            assertThat(aaa.leases()).filteredOn(PostgresRadius.Lease::held).extracting(PostgresRadius.Lease::poolKey)
                    .containsExactlyInAnyOrder("alice", "bob");
        }
    }

    private static List<String> run(PostgresRadius.Connection c, String sql) {
        try {
            return c.run(sql);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * {@code name}'s query from ippool-queries.conf as rlm_sqlippool expands it for one request (the module's
     * settings of radiusd-sql.conf: pool_key = User-Name, Pool-Name sqlpool, lease 3600 s).
     */
    static String ippoolQuery(String conf, String name, String user, String nas, String station) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?ms)^" + name + " = \"((?:[^\"\\\\]|\\\\.)*)\"")
                .matcher(conf);
        assertThat(m.find()).as(name + " in ippool-queries.conf").isTrue();
        java.util.regex.Matcher skip = java.util.regex.Pattern.compile("(?m)^skip_locked = \"([^\"]*)\"")
                .matcher(conf);
        assertThat(skip.find()).isTrue();
        return m.group(1).replace("\\\n", " ").replace("${pool_key}", "%{User-Name}")
                .replace("${ippool_table}", "radippool").replace("%{control:${pool_name}}", "sqlpool")
                .replace("${lease_duration}", "3600").replace("${skip_locked}", skip.group(1))
                .replace("%{User-Name}", user).replace("%{SQL-User-Name}", user).replace("%{NAS-IP-Address}", nas)
                .replace("%{Calling-Station-Id}", station);
    }
}
