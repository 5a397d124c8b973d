package dev.vpnrouter.cli.remote;

import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.model.RouterConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Who gets a vty, as IOS decides it from the seed configurations and variations of them. */
class VtyLoginTest {
    private static RouterConfig seed(String name) throws IOException {
        return ConfigLoader.load(Files.readString(Path.of("examples/seed/" + name))).config();
    }

    private static RouterConfig config(String text) {
        return ConfigLoader.load(text).config();
    }

    @Test
    void theSpokesLinePasswordWithLogin() throws IOException {
        RouterConfig spoke = seed("spoke.cfg");
        assertThat(VtyLogin.check(spoke, "whoever", "cisco")).contains(new VtyLogin.Granted(null, 1));
        assertThat(VtyLogin.check(spoke, "whoever", "Cisco")).isEmpty();
    }

    @Test
    void theHubsAaaNewModelWithoutADefaultListUsesTheLocalUsers() throws IOException {
        RouterConfig hub = seed("hub.cfg");
        // username gfullage password 7 0201024E070A0E2649; the line's type 7 password does not count here.
        assertThat(VtyLogin.check(hub, "gfullage", "gfullage")).contains(new VtyLogin.Granted("gfullage", 1));
        assertThat(VtyLogin.check(hub, "gfullage", "cisco")).isEmpty();
        assertThat(VtyLogin.check(hub, "nobody", "gfullage")).isEmpty();
    }

    @Test
    void loginLocalTakesTheUsersPrivilegeAndSecret() {
        RouterConfig c = config("""
                username admin privilege 15 secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0
                line vty 0 4
                 login local
                """);
        assertThat(VtyLogin.check(c, "admin", "cisco")).contains(new VtyLogin.Granted("admin", 15));
        assertThat(VtyLogin.check(c, "admin", "wrong")).isEmpty();
    }

    @Test
    void aaaListsAreFollowedInOrder() {
        RouterConfig c = config("""
                aaa new-model
                aaa authentication login default line
                username u password 0 p
                line vty 0 4
                 password 0 linepw
                """);
        assertThat(VtyLogin.check(c, "x", "linepw")).isPresent();
        assertThat(VtyLogin.check(c, "u", "p")).isEmpty();
        RouterConfig none = config("""
                aaa new-model
                aaa authentication login default none
                """);
        assertThat(VtyLogin.check(none, "x", "")).isPresent();
    }

    /** As Xauth: the next method only when one cannot answer, so an unknown user never falls through to none. */
    @Test
    void aFailedMethodEndsTheListOnlyAnErrorMovesOn() {
        RouterConfig c = config("""
                aaa new-model
                aaa authentication login vty local none
                username u password 0 p
                line vty 0 4
                 login authentication vty
                """);
        assertThat(VtyLogin.check(c, "u", "p")).contains(new VtyLogin.Granted("u", 1));
        assertThat(VtyLogin.check(c, "stranger", "anything")).isEmpty();
        assertThat(VtyLogin.check(c, "u", "wrong")).isEmpty();
        RouterConfig radius = config("""
                aaa new-model
                aaa authentication login vty group radius none
                line vty 0 4
                 login authentication vty
                """);
        assertThat(VtyLogin.check(radius, "anyone", "x")).as("a server we cannot ask fails closed").isEmpty();
        RouterConfig noUsers = config("""
                aaa new-model
                aaa authentication login vty local line
                line vty 0 4
                 password 0 linepw
                 login authentication vty
                """);
        assertThat(VtyLogin.check(noUsers, "x", "linepw")).as("no users: local is an error, line answers")
                .isPresent();
    }

    /**
     * {@code group radius local}: an Access-Accept lets the user in at privilege 1, an Access-Reject is the answer,
     * and only a RADIUS group that cannot answer hands the login to the local database.
     */
    @Test
    void aRadiusGroupAnswersAndOnlyItsSilenceMovesOn() {
        RouterConfig c = config("""
                aaa new-model
                aaa authentication login vty group radius local
                username admin privilege 15 password 0 adminpw
                radius server R1
                 address ipv4 192.0.2.10
                 key k
                line vty 0 4
                 login authentication vty
                """);
        java.util.List<String> asked = new java.util.ArrayList<>();
        VtyLogin.Groups accept = (g, u, p) -> {
            asked.add(g + ":" + u);
            return p.equals("radiuspw") ? dev.vpnrouter.policy.LoginMethods.Result.PASS
                    : dev.vpnrouter.policy.LoginMethods.Result.FAIL;
        };
        assertThat(VtyLogin.check(c, "alice", "radiuspw", accept)).contains(new VtyLogin.Granted("alice", 1));
        assertThat(VtyLogin.check(c, "admin", "adminpw", accept)).as("rejected by RADIUS: local is not asked")
                .isEmpty();
        assertThat(asked).containsExactly("radius:alice", "radius:admin");
        VtyLogin.Groups silent = (g, u, p) -> dev.vpnrouter.policy.LoginMethods.Result.ERROR;
        assertThat(VtyLogin.check(c, "admin", "adminpw", silent)).contains(new VtyLogin.Granted("admin", 15));
        assertThat(VtyLogin.check(c, "alice", "radiuspw", silent)).isEmpty();
        assertThat(VtyLogin.check(c, "alice", "radiuspw")).as("no RADIUS client: fails closed").isEmpty();
    }

    @Test
    void loginWithoutAPasswordRefusesEveryone() {
        RouterConfig c = config("""
                line vty 0 4
                 login
                """);
        assertThat(VtyLogin.check(c, "x", "")).isEqualTo(Optional.empty());
        RouterConfig noLogin = config("""
                line vty 0 4
                 no login
                """);
        assertThat(VtyLogin.check(noLogin, "x", "anything")).isPresent();
    }
}
