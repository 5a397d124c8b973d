package dev.vpnrouter.ike.cfg;

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
    private static EnginePolicy users(Map<String, List<String>> lists, LocalUser... users) {
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
            public List<String> loginMethods(String list) {
                return lists.getOrDefault(list, List.of());
            }
        };
    }

    @Test
    void loginMethodListsAreRunInOrder() {
        EnginePolicy p = users(Map.of("clientauth", List.of("local"), "casey", List.of("local-case"),
                "fallback", List.of("group radius", "local"), "open", List.of("none"), "default", List.of("local")),
                new LocalUser("gfullage", 7, "0201024E070A0E2649"));
        assertThat(p.authenticate("clientauth", "gfullage", "gfullage")).isTrue();
        assertThat(p.authenticate("clientauth", "GFULLAGE", "gfullage")).isTrue(); // local: names without case
        assertThat(p.authenticate("casey", "GFULLAGE", "gfullage")).isFalse();
        assertThat(p.authenticate("casey", "gfullage", "gfullage")).isTrue();
        assertThat(p.authenticate("clientauth", "gfullage", "wrong")).isFalse();
        assertThat(p.authenticate("clientauth", "nobody", "gfullage")).isFalse();
        assertThat(p.authenticate("fallback", "gfullage", "gfullage")).isTrue(); // RADIUS skipped, local decides
        assertThat(p.authenticate("open", "anyone", "anything")).isTrue();
        assertThat(p.authenticate("undefined", "gfullage", "gfullage")).isFalse();
        assertThat(p.authenticate(null, "gfullage", "gfullage")).isTrue(); // the default list
        assertThat(p.authenticate("clientauth", null, "x")).isFalse();
    }
}
