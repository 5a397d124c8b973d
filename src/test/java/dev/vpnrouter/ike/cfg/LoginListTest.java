package dev.vpnrouter.ike.cfg;

import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.model.AaaMethod;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Local users of each password type and the login method lists Xauth runs. */
class LoginListTest {
    @Test
    void localUsersOfEachType() {
        assertThat(LocalUser.clear("u", "pw").matches("pw")).isTrue();
        assertThat(LocalUser.clear("u", "pw").matches("PW")).isFalse();
        assertThat(new LocalUser("gfullage", 7, "0201024E070A0E2649").matches("gfullage")).isTrue();
        assertThat(new LocalUser("gfullage", 7, "0201024E070A0E2649").matches("gfullagE")).isFalse();
        assertThat(new LocalUser("u", 5, "$1$4eVm$RzcyV32RXYUFNotcxiPDX.").matches("password")).isTrue();
        assertThat(new LocalUser("u", 9, "$9$whatever").matches("password")).isFalse();
        assertThat(LocalUser.clear("u", "pw").matches(null)).isFalse();
        assertThat(new LocalUser("u", 7, "0201024E070A0E2649").toString()).doesNotContain("0201024E070A0E2649");
    }

    /** An EnginePolicy with only users and login lists. */
    private static EnginePolicy users(Map<String, String> lists, LocalUser... users) {
        return new EnginePolicy() {
            @Override
            public String hostname() {
                return "r";
            }

            @Override
            public List<IkeProposal> ikeProposals() {
                return List.of();
            }

            @Override
            public PresharedKey presharedKeyFor(int peerAddress) {
                return null;
            }

            @Override
            public boolean profilesConfigured() {
                return false;
            }

            @Override
            public PeerProfile profileFor(dev.vpnrouter.ike.wire.IdPayload identity, int peerAddress) {
                return null;
            }

            @Override
            public List<ChildPolicy> cryptoMap() {
                return List.of();
            }

            @Override
            public LocalUser localUser(String name) {
                for (LocalUser u : users) {
                    if (u.name().equalsIgnoreCase(name)) {
                        return u;
                    }
                }
                return null;
            }

            @Override
            public List<AaaMethod> loginMethods(String list) {
                return lists.containsKey(list) ? methods(lists.get(list)) : List.of();
            }

            @Override
            public boolean hasLocalUsers() {
                return users.length > 0;
            }
        };
    }

    /** "group radius local" as the parser gives it. */
    private static List<AaaMethod> methods(String text) {
        return ConfigLoader.load("aaa new-model\naaa authentication login l " + text + "\n").config().aaa()
                .authenticationLogin().getFirst().methods();
    }

    @Test
    void loginMethodListsAreRunInOrder() {
        EnginePolicy p = users(Map.of("clientauth", "local", "casey", "local-case", "open", "none",
                "default", "local"), new LocalUser("gfullage", 7, "0201024E070A0E2649"));
        assertThat(p.authenticate("clientauth", "gfullage", "gfullage")).isTrue();
        assertThat(p.authenticate("clientauth", "GFULLAGE", "gfullage")).isTrue(); // local: names without case
        assertThat(p.authenticate("casey", "GFULLAGE", "gfullage")).isFalse();
        assertThat(p.authenticate("casey", "gfullage", "gfullage")).isTrue();
        assertThat(p.authenticate("clientauth", "gfullage", "wrong")).isFalse();
        assertThat(p.authenticate("clientauth", "nobody", "gfullage")).isFalse();
        assertThat(p.authenticate("open", "anyone", "anything")).isTrue();
        assertThat(p.authenticate("undefined", "gfullage", "gfullage")).isFalse();
        assertThat(p.authenticate(null, "gfullage", "gfullage")).isTrue(); // the default list
        assertThat(p.authenticate("clientauth", null, "x")).isFalse();
    }

    /** The next method only when this one cannot answer (ERROR), never after a FAIL: IOS, and fail closed. */
    @Test
    void aFailedMethodIsTheAnswerAndOnlyAnErrorMovesOn() {
        EnginePolicy p = users(Map.of("localnone", "local none", "radiuslocal", "group radius local"),
                new LocalUser("gfullage", 7, "0201024E070A0E2649"));
        assertThat(p.authenticate("localnone", "stranger", "anything")).as("unknown user: local FAILs, none is "
                + "never reached").isFalse();
        assertThat(p.authenticate("localnone", "gfullage", "wrong")).isFalse();
        assertThat(p.authenticate("localnone", "gfullage", "gfullage")).isTrue();
        assertThat(p.authenticate("radiuslocal", "gfullage", "gfullage")).as("a method we cannot serve fails "
                + "closed").isFalse();
        EnginePolicy noUsers = users(Map.of("localnone", "local none"));
        assertThat(noUsers.authenticate("localnone", "anyone", "x")).as("no users: local is an ERROR, none "
                + "answers").isTrue();
    }
}
