package dev.vpnrouter.app;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.cfg.VpnClientProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientCommandTest {
    @TempDir
    Path dir;

    private ClientCommand command(Map<String, String> env) {
        ClientCommand c = new ClientCommand();
        c.environment = env;
        c.console = null; // no terminal: secrets must come from somewhere else
        return c;
    }

    @Test
    void flagsAndSecretFiles() throws Exception {
        ClientCommand c = command(Map.of());
        c.host = "203.0.113.2";
        c.group = "testgroup";
        c.user = "gfullage";
        c.groupKeyFile = Files.writeString(dir.resolve("key"), "cisco321\n");
        c.passwordFile = Files.writeString(dir.resolve("pw"), "gfullage\n");
        VpnClientProfile p = c.profile();
        assertThat(Ipv4.format(p.hub())).isEqualTo("203.0.113.2");
        assertThat(p.group()).isEqualTo("testgroup");
        assertThat(new String(p.groupKey(), StandardCharsets.UTF_8)).isEqualTo("cisco321");
        assertThat(p.username()).isEqualTo("gfullage");
        assertThat(p.password()).isEqualTo("gfullage");
    }

    @Test
    void aPcfProfileWithSecretsFromTheEnvironment() throws Exception {
        ClientCommand c = command(Map.of(ClientCommand.PASSWORD_ENV, "gfullage"));
        c.pcf = Files.writeString(dir.resolve("hub.pcf"), "[main]\nHost=10.48.67.181\nGroupName=testgroup\n"
                + "GroupPwd=cisco321\nUsername=gfullage\n");
        VpnClientProfile p = c.profile();
        assertThat(Ipv4.format(p.hub())).isEqualTo("10.48.67.181");
        assertThat(new String(p.groupKey(), StandardCharsets.UTF_8)).isEqualTo("cisco321");
        assertThat(p.password()).isEqualTo("gfullage");
        // A flag overrides the profile.
        c.user = "other";
        assertThat(c.profile().username()).isEqualTo("other");
    }

    @Test
    void thePcfsBackupServersFollowTheHubInOrder() throws Exception {
        ClientCommand c = command(Map.of(ClientCommand.PASSWORD_ENV, "gfullage"));
        c.pcf = Files.writeString(dir.resolve("hub.pcf"), "[main]\nHost=203.0.113.2\nGroupName=testgroup\n"
                + "GroupPwd=cisco321\nUsername=gfullage\nEnableBackup=1\nBackupServer=198.51.100.2,192.0.2.7\n");
        assertThat(c.profile().backupServers()).containsExactly(Ipv4.parse("198.51.100.2"), Ipv4.parse("192.0.2.7"));
        c.pcf = Files.writeString(dir.resolve("bad.pcf"), "[main]\nHost=203.0.113.2\nGroupName=testgroup\n"
                + "GroupPwd=cisco321\nUsername=gfullage\nEnableBackup=1\nBackupServer=no-such-host.invalid\n");
        assertThat(c.profile().backupServers()).as("a stale backup name is skipped, as the Cisco client does")
                .isEmpty();
    }

    @Test
    void withoutATerminalAMissingSecretIsAnErrorNotAnEmptyPassword() {
        ClientCommand c = command(Map.of(ClientCommand.GROUP_KEY_ENV, "cisco321"));
        c.host = "203.0.113.2";
        c.group = "testgroup";
        c.user = "gfullage";
        assertThatThrownBy(c::profile).hasMessageContaining("no password")
                .hasMessageContaining("--password-file").hasMessageContaining(ClientCommand.PASSWORD_ENV);
    }

    @Test
    void theCommandLineHasNoPasswordOption() {
        assertThat(Main.run("client", "--password", "x")).isEqualTo(2);
        assertThat(Main.run("client", "--group-key", "x")).isEqualTo(2);
    }
}
