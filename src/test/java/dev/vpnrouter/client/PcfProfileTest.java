package dev.vpnrouter.client;

import dev.vpnrouter.config.secret.CiscoClientPassword;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PcfProfileTest {
    /** A profile as the Cisco VPN Client 4.x writes it (CRLF, locked keys with '!', empty values). */
    static String seedProfile(String groupPwdLines) {
        return "[main]\r\nDescription=Hub of the seed\r\n!Host=10.48.67.181\r\nAuthType=1\r\nGroupName=testgroup\r\n"
                + groupPwdLines + "EnableISPConnect=0\r\nISPConnectType=0\r\nUsername=gfullage\r\nSaveUserPassword=0\r\n"
                + "UserPassword=\r\nenc_UserPassword=\r\nNTDomain=\r\nEnableBackup=0\r\nBackupServer=\r\n"
                + "EnableNat=1\r\nTunnelingMode=0\r\nTcpTunnelingPort=10000\r\n[GUI]\r\nHost=ignored\r\n";
    }

    @Test
    void readsTheSeedClientsProfileWithAClearGroupPassword() throws Exception {
        PcfProfile p = PcfProfile.parse(seedProfile("GroupPwd=cisco321\r\nenc_GroupPwd=\r\n"));
        assertThat(p.host()).isEqualTo("10.48.67.181");
        assertThat(p.groupName()).isEqualTo("testgroup");
        assertThat(p.groupPassword()).contains("cisco321");
        assertThat(p.username()).contains("gfullage");
        assertThat(p.userPassword()).isEmpty();
        assertThat(p.description()).contains("Hub of the seed");
        assertThat(p.toString()).doesNotContain("cisco321");
        assertThat(p.backupServers()).isEmpty();
    }

    @Test
    void readsTheBackupServersOnlyWhenBackupIsEnabled() throws Exception {
        String on = seedProfile("GroupPwd=cisco321\r\n").replace("EnableBackup=0\r\nBackupServer=\r\n",
                "EnableBackup=1\r\nBackupServer=198.51.100.2, hub3.example.net,,\r\n");
        assertThat(PcfProfile.parse(on).backupServers()).containsExactly("198.51.100.2", "hub3.example.net");
        String off = on.replace("EnableBackup=1", "EnableBackup=0");
        assertThat(PcfProfile.parse(off).backupServers()).isEmpty();
    }

    @Test
    void decodesAnEncodedGroupPassword() throws Exception {
        String enc = CiscoClientPassword.encode("cisco321", new SecureRandom());
        PcfProfile p = PcfProfile.parse(seedProfile("GroupPwd=\r\nenc_GroupPwd=" + enc + "\r\n"));
        assertThat(p.groupPassword()).contains("cisco321");
    }

    @Test
    void saysWhatIsWrongWithABadProfile() {
        assertThatThrownBy(() -> PcfProfile.parse("[main]\nGroupName=g\n")).hasMessageContaining("no Host=");
        assertThatThrownBy(() -> PcfProfile.parse("[main]\nHost=1.2.3.4\nGroupName=g\nenc_GroupPwd=ABCD\n"))
                .hasMessageContaining("enc_GroupPwd is not a valid Cisco-encoded password");
        assertThatThrownBy(() -> PcfProfile.parse("[main]\nHost=1.2.3.4\nthis line has no equals\n"))
                .hasMessageContaining("line 3");
    }
}
