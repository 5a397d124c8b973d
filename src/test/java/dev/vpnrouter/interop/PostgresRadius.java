package dev.vpnrouter.interop;

import dev.vpnrouter.net.Command;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real FreeRADIUS 3.2 on a real PostgreSQL 15, both started by the test, for the issue-15 interop tests (one hub,
 * and the two-hub cluster): PostgreSQL made by {@code initdb} in a fresh directory and run in the foreground as the
 * {@code postgres} user (initdb refuses root), reachable only on a unix socket; the FreeRADIUS schema and the
 * sqlippool schema loaded from {@code src/test/resources/freeradius/sql}; FreeRADIUS in the given namespace (in the
 * foreground, threaded, its debug output in its log) with {@code radiusd-sql.conf}: users and group AV-pairs from
 * SQL, addresses from sqlippool (pool_key = User-Name, any hub may give a returning client its address back),
 * Simultaneous-Use over radacct, accounting into radacct. The test fills the tables through {@link #addUser},
 * {@link #addGroupReply}, {@link #addPool} ... and reads {@link #leases()} and {@link #sessions()}.
 *
 * <p>Both processes run inside {@code ns}, so closing the namespace ends them even when the test does not.
 */
public final class PostgresRadius implements AutoCloseable {
    /** Debian's PostgreSQL 15: its programs are not on PATH. */
    public static final Path PG_BIN = Path.of("/usr/lib/postgresql/15/bin");
    /** FreeRADIUS's PostgreSQL driver, in the freeradius-postgresql package. */
    public static final Path RLM_SQL_POSTGRESQL = Path.of("/usr/lib/freeradius/rlm_sql_postgresql.so");
    private static final String DB_USER = "radius";
    private static final String DB_NAME = "radius";
    private static final int PG_PORT = 5432; // the socket's name only: there is no TCP listener
    private static final AtomicInteger COUNTER = new AtomicInteger();

    /**
     * What FreeRADIUS serves: the address it listens on (in the namespace), the hubs allowed to ask (their source
     * addresses) with the shared secret, how long an sqlippool lease lasts without an Interim-Update or Start
     * renewing it, and after how long without a word from its hub an open radacct session stops counting for
     * Simultaneous-Use (keep it above twice the hubs' {@code aaa accounting update periodic} interval).
     */
    public record Settings(String listen, List<String> clients, String secret, int leaseSeconds,
                           int staleAfterSeconds) {
        public Settings {
            clients = List.copyOf(clients);
            if (clients.isEmpty() || leaseSeconds <= 0 || staleAfterSeconds <= 0) {
                throw new IllegalArgumentException("clients, lease and stale bound are required");
            }
        }

        /** One hour leases and sessions stale after three minutes (Interim-Updates every minute). */
        public static Settings of(String listen, String secret, String... clients) {
            return new Settings(listen, List.of(clients), secret, 3600, 180);
        }
    }

    /** A row of radippool: an address, the key (User-Name) and hub that hold it, and whether the lease holds. */
    public record Lease(String pool, String address, String poolKey, String nas, String callingStation,
                        String user, boolean held) {
    }

    /**
     * A row of radacct: one session as the hub accounted it. {@code updatedAfterStart}: an Interim-Update (or the
     * Stop) came in a later second than the Start; the octet counts include Gigawords.
     */
    public record Session(String sessionId, String user, String nas, String framedAddress, String callingStation,
                          boolean updatedAfterStart, boolean stopped, long inputOctets, long outputOctets,
                          String terminateCause) {
    }

    private final NetNs ns;
    private final Path work;
    private final Path pgRoot;
    private final Path socketDir;
    private final Path raddb;
    private Daemon postgres;
    private int postgresStarts;
    private Daemon radius;
    private int radiusStarts;

    private PostgresRadius(NetNs ns, Path work, Path pgRoot, Path raddb) {
        this.ns = ns;
        this.work = work;
        this.pgRoot = pgRoot;
        this.socketDir = pgRoot.resolve("sock");
        this.raddb = raddb;
    }

    /** Fails, naming the packages, unless PostgreSQL 15, FreeRADIUS and its PostgreSQL driver are installed. */
    public static void requirePrograms() {
        Prerequisites.require("freeradius", "setpriv");
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(PG_BIN.resolve("initdb")) || !Files.isExecutable(PG_BIN.resolve("postgres"))) {
            missing.add("postgresql-15 (" + PG_BIN + "/initdb, postgres)");
        }
        if (!Files.isExecutable(PG_BIN.resolve("psql"))) {
            missing.add("postgresql-client-15 (" + PG_BIN + "/psql)");
        }
        if (!Files.exists(RLM_SQL_POSTGRESQL)) {
            missing.add("freeradius-postgresql (" + RLM_SQL_POSTGRESQL + ")");
        }
        if (!missing.isEmpty()) {
            throw new AssertionError("the FreeRADIUS-on-PostgreSQL interop tests need " + String.join(", ", missing)
                    + ": apt-get install postgresql freeradius-postgresql (or run .ci/run, which installs them)");
        }
    }

    /**
     * Starts PostgreSQL (schemas loaded) and FreeRADIUS in {@code ns}; both are running when this returns. Logs go
     * to {@code work}; the database lives in a fresh directory under /tmp (the postgres user must reach it).
     */
    public static PostgresRadius start(NetNs ns, Path work, Settings settings) throws IOException {
        requirePrograms();
        Files.createDirectories(work);
        Path pgRoot = Files.createTempDirectory("vpnrouter-pg-" + ProcessHandle.current().pid() + "-"
                + COUNTER.incrementAndGet() + "-");
        Path data = pgRoot.resolve("data");
        Path sock = pgRoot.resolve("sock");
        Files.createDirectories(data);
        Files.createDirectories(sock);
        UserPrincipalLookupService users = pgRoot.getFileSystem().getUserPrincipalLookupService();
        for (Path p : List.of(pgRoot, data, sock)) {
            Files.setOwner(p, users.lookupPrincipalByName("postgres"));
        }
        Command.Result init = Command.run(Duration.ofSeconds(60), asPostgres(PG_BIN.resolve("initdb").toString(),
                "-D", data.toString(), "-U", DB_USER, "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"));
        if (!init.ok()) {
            throw new AssertionError("initdb failed: " + init.describe());
        }
        Path raddb = work.resolve("raddb-sql");
        PostgresRadius db = new PostgresRadius(ns, work, pgRoot, raddb);
        try {
            db.startPostgres();
            db.psql("postgres", "CREATE DATABASE " + DB_NAME);
            for (String schema : List.of("schema.sql", "ippool-schema.sql")) {
                Path file = work.resolve(schema);
                Files.write(file, resource("/freeradius/sql/" + schema));
                Command.Result r = Command.run(Duration.ofSeconds(30), db.psqlCommand(DB_NAME, "-f",
                        file.toString()));
                if (!r.ok()) {
                    throw new AssertionError("loading " + schema + ": " + r.describe());
                }
            }
            db.writeRadiusConfig(settings);
            db.startRadius();
            return db;
        } catch (IOException | RuntimeException | Error e) {
            db.close();
            throw e;
        }
    }

    private static List<String> asPostgres(String... command) {
        List<String> out = new ArrayList<>(List.of(Prerequisites.resolve("setpriv"), "--reuid=postgres",
                "--regid=postgres", "--clear-groups", "--"));
        out.addAll(List.of(command));
        return out;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = PostgresRadius.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    /** Starts PostgreSQL (again, after {@link #stopPostgres()}) on the same data; returns once it accepts. */
    public void startPostgres() throws IOException {
        if (postgres != null && postgres.isAlive()) {
            throw new IllegalStateException("PostgreSQL already runs");
        }
        postgresStarts++;
        postgres = ns.start("postgres", work.resolve("postgres-" + postgresStarts + ".log"), asPostgres(
                PG_BIN.resolve("postgres").toString(), "-D", pgRoot.resolve("data").toString(), "-k",
                socketDir.toString(), "-p", String.valueOf(PG_PORT), "-c", "listen_addresses=", "-c", "fsync=off",
                "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=40"));
        awaitPostgres();
    }

    /** Stops PostgreSQL (fast shutdown: open connections are cut), FreeRADIUS keeps running without it. */
    public void stopPostgres() {
        if (postgres == null || !postgres.isAlive()) {
            return;
        }
        try {
            Command.run(Duration.ofSeconds(20), asPostgres(PG_BIN.resolve("pg_ctl").toString(), "stop", "-D",
                    pgRoot.resolve("data").toString(), "-m", "fast", "-w"));
        } catch (IOException e) {
            // the Daemon's stop below ends it anyway
        }
        postgres.stop(Duration.ofSeconds(5));
    }

    private void awaitPostgres() {
        Await.until("PostgreSQL accepting connections", Duration.ofSeconds(30), () -> {
            try {
                return postgres.isAlive() && Command.run(Duration.ofSeconds(5), PG_BIN.resolve("pg_isready")
                        .toString(), "-h", socketDir.toString(), "-p", String.valueOf(PG_PORT)).ok();
            } catch (IOException e) {
                return false;
            }
        }, ready -> ready || !postgres.isAlive());
        if (!postgres.isAlive()) {
            throw new AssertionError("PostgreSQL exited:\n" + postgres.logTail(30));
        }
    }

    private void writeRadiusConfig(Settings s) throws IOException {
        Files.createDirectories(raddb.resolve("sql"));
        StringBuilder clients = new StringBuilder();
        for (int i = 0; i < s.clients().size(); i++) {
            clients.append("client hub").append(i + 1).append(" {\n\tipaddr = ").append(s.clients().get(i))
                    .append("\n\tsecret = ").append(s.secret()).append("\n\trequire_message_authenticator = yes\n}\n");
        }
        String conninfo = "host=" + socketDir + " port=" + PG_PORT + " dbname=" + DB_NAME + " user=" + DB_USER;
        Files.writeString(raddb.resolve("radiusd.conf"), text("/freeradius/radiusd-sql.conf")
                .replace("@LISTEN@", s.listen()).replace("@CLIENTS@", clients).replace("@DB@", conninfo)
                .replace("@LEASE@", String.valueOf(s.leaseSeconds())));
        Files.writeString(raddb.resolve("sql/queries.conf"), text("/freeradius/sql/queries.conf")
                .replace("@STALE_AFTER@", String.valueOf(s.staleAfterSeconds())));
        Files.write(raddb.resolve("sql/ippool-queries.conf"), resource("/freeradius/sql/ippool-queries.conf"));
    }

    private static String text(String name) throws IOException {
        return new String(resource(name), StandardCharsets.UTF_8);
    }

    /** FreeRADIUS, running. */
    public Daemon radius() {
        return radius;
    }

    /** Starts FreeRADIUS (again, after {@link #stopRadius()}); returns once it serves requests. */
    public Daemon startRadius() throws IOException {
        if (radius != null && radius.isAlive()) {
            throw new IllegalStateException("FreeRADIUS already runs");
        }
        radiusStarts++;
        Daemon d = ns.start("freeradius", work.resolve("freeradius-" + radiusStarts + ".log"),
                List.of(Prerequisites.resolve("freeradius"), "-f", "-xx", "-l", "stdout", "-d", raddb.toString()));
        radius = d;
        Await.until("FreeRADIUS ready", Duration.ofSeconds(30), d::log,
                log -> log.contains("Ready to process requests") || !d.isAlive());
        if (!d.isAlive()) {
            throw new AssertionError("FreeRADIUS exited:\n" + d.logTail(40));
        }
        return d;
    }

    /** Stops FreeRADIUS (PostgreSQL keeps running, so its tables stay). */
    public void stopRadius() {
        if (radius != null) {
            radius.stop(Duration.ofSeconds(5));
        }
    }

    /** A user with a password (radcheck Cleartext-Password). */
    public void addUser(String user, String password) throws IOException {
        addUserCheck(user, "Cleartext-Password", ":=", password);
    }

    /** A check item for one user, e.g. {@code Simultaneous-Use := 1}. */
    public void addUserCheck(String user, String attribute, String op, String value) throws IOException {
        insert("radcheck", "username, attribute, op, value", user, attribute, op, value);
    }

    /** A reply item for one user, e.g. {@code Session-Timeout = 3600} or a per-user Cisco-AVPair. */
    public void addUserReply(String user, String attribute, String op, String value) throws IOException {
        insert("radreply", "username, attribute, op, value", user, attribute, op, value);
    }

    /** Puts {@code user} in {@code group} (radusergroup), so the group's check and reply items apply. */
    public void addUserToGroup(String user, String group) throws IOException {
        insert("radusergroup", "username, groupname, priority", user, group, "1");
    }

    /** A check item for a group: {@code Pool-Name := P} names its sqlippool pool, {@code Simultaneous-Use := N}. */
    public void addGroupCheck(String group, String attribute, String op, String value) throws IOException {
        insert("radgroupcheck", "groupname, attribute, op, value", group, attribute, op, value);
    }

    /** A reply item for a group, e.g. {@code Cisco-AVPair += "ipsec:dns-servers=10.2.2.2"}. */
    public void addGroupReply(String group, String attribute, String op, String value) throws IOException {
        insert("radgroupreply", "groupname, attribute, op, value", group, attribute, op, value);
    }

    /**
     * The users of {@code group} draw their addresses from sqlippool's {@code pool}: a Pool-Name check item for the
     * group plus one radippool row per address from {@code first} to {@code last}.
     */
    public void addPool(String group, String pool, String first, String last) throws IOException {
        addGroupCheck(group, "Pool-Name", ":=", pool);
        sql("INSERT INTO radippool (pool_name, framedipaddress, expiry_time) SELECT " + quote(pool)
                + ", " + quote(first) + "::inet + n, 'now'::timestamp(0) - '1 second'::interval"
                + " FROM generate_series(0, " + quote(last) + "::inet - " + quote(first) + "::inet) AS n");
    }

    /** Every radippool row, by address. */
    public List<Lease> leases() throws IOException {
        List<Lease> out = new ArrayList<>();
        for (String[] r : rows("SELECT pool_name, host(framedipaddress), pool_key, nasipaddress, callingstationid,"
                + " username, expiry_time > 'now'::timestamp(0) FROM radippool ORDER BY framedipaddress")) {
            out.add(new Lease(r[0], r[1], r[2], r[3], r[4], r[5], r[6].equals("t")));
        }
        return out;
    }

    /** Every radacct row, oldest first. */
    public List<Session> sessions() throws IOException {
        List<Session> out = new ArrayList<>();
        for (String[] r : rows("SELECT acctsessionid, username, host(nasipaddress), COALESCE(host(framedipaddress),"
                + " ''), callingstationid, acctupdatetime > acctstarttime, acctstoptime IS NOT NULL,"
                + " COALESCE(acctinputoctets, 0), COALESCE(acctoutputoctets, 0), COALESCE(acctterminatecause, '')"
                + " FROM radacct ORDER BY radacctid")) {
            out.add(new Session(r[0], r[1], r[2], r[3], r[4], r[5].equals("t"), r[6].equals("t"),
                    Long.parseLong(r[7]), Long.parseLong(r[8]), r[9]));
        }
        return out;
    }

    /** radpostauth's replies for {@code user}, oldest first ("Access-Accept", "Access-Reject"). */
    public List<String> postAuth(String user) throws IOException {
        return rows("SELECT reply FROM radpostauth WHERE username = " + quote(user) + " ORDER BY id").stream()
                .map(r -> r[0]).toList();
    }

    /** Runs SQL statements against the radius database; fails with psql's message on an error. */
    public void sql(String statements) throws IOException {
        psql(DB_NAME, statements);
    }

    /** The rows of a query, columns split (tab-separated, no header). */
    public List<String[]> rows(String query) throws IOException {
        String out = psql(DB_NAME, query);
        List<String[]> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isEmpty()) {
                rows.add(line.split("\t", -1));
            }
        }
        return rows;
    }

    private void insert(String table, String columns, String... values) throws IOException {
        StringBuilder v = new StringBuilder();
        for (String value : values) {
            v.append(v.isEmpty() ? "" : ", ").append(quote(value));
        }
        sql("INSERT INTO " + table + " (" + columns + ") VALUES (" + v + ")");
    }

    /** An SQL string literal. */
    static String quote(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("NUL in an SQL value");
        }
        return "'" + value.replace("'", "''") + "'";
    }

    private String psql(String database, String statements) throws IOException {
        Command.Result r = Command.run(Duration.ofSeconds(30), psqlCommand(database, "-c", statements));
        if (!r.ok()) {
            throw new AssertionError("psql: " + r.describe());
        }
        return r.stdout();
    }

    private List<String> psqlCommand(String database, String... args) {
        List<String> command = new ArrayList<>(List.of(PG_BIN.resolve("psql").toString(), "-X", "-q", "-A", "-t",
                "-F", "\t", "-v", "ON_ERROR_STOP=1", "-h", socketDir.toString(), "-p", String.valueOf(PG_PORT),
                "-U", DB_USER, "-d", database));
        command.addAll(List.of(args));
        return command;
    }

    /** Stops FreeRADIUS and PostgreSQL and deletes the database directory (the logs stay in the work dir). */
    @Override
    public void close() {
        stopRadius();
        stopPostgres();
        try (Stream<Path> all = Files.walk(pgRoot)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover directory under /tmp: harmless, named by pid
        }
    }
}
