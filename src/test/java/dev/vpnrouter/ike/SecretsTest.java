package dev.vpnrouter.ike;

import dev.vpnrouter.common.Hex;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.PrivateFiles;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.dataplane.EspTransforms;
import dev.vpnrouter.esp.EspInboundSa;
import dev.vpnrouter.esp.EspOpenResult;
import dev.vpnrouter.esp.EspOutboundSa;
import dev.vpnrouter.esp.EspSealResult;
import dev.vpnrouter.ike.cfg.ConfigPolicy;
import dev.vpnrouter.ike.cfg.LocalUser;
import dev.vpnrouter.ike.crypto.IkeSaKeys;
import dev.vpnrouter.sim.FaultModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** Keys and passwords stay out of logs and string forms, die with their SAs, and files holding them are 0600. */
class SecretsTest {
    static final String PASSWORD = "Pw-s3cret!";

    /** Every form in which a secret could leak into a line of text. */
    static List<String> forms(byte[] secret) {
        String hex = Hex.of(secret);
        return List.of(hex.toLowerCase(Locale.ROOT), hex.toUpperCase(Locale.ROOT));
    }

    @Test
    void debugOfAWholeSeedRunCarriesNoKeyOrPassword() {
        TestPolicy hubPolicy = TestPolicy.seedHub();
        hubPolicy.users.put("gfullage", LocalUser.clear("gfullage", PASSWORD));
        RemoteAccessTest.Lab lab = new RemoteAccessTest.Lab(1, FaultModel.PERFECT, hubPolicy);
        LabRouter spoke = lab.spoke();
        LabRouter client = lab.client(RemoteAccessTest.CLIENT);
        spoke.run(e -> e.connectAll(0));
        lab.connect(client, RemoteAccessTest.seedClient(PASSWORD));
        lab.runFor(10_000);
        assertThat(client.children()).hasSize(1);
        assertThat(spoke.children()).hasSize(1);

        List<String> secrets = new ArrayList<>(List.of("cisco123", "cisco321", PASSWORD));
        for (IkeSa sa : lab.hub.sas()) {
            IkeSaKeys k = sa.keys;
            for (byte[] b : List.of(k.skeyid(), k.skeyidD(), k.skeyidA(), k.skeyidE(), k.encryptionKey())) {
                secrets.addAll(forms(b));
            }
        }
        for (ChildSa c : lab.hub.children()) {
            secrets.addAll(forms(c.inboundKeys()));
            secrets.addAll(forms(c.outboundKeys()));
        }
        List<String> log = new ArrayList<>(lab.hub.log);
        log.addAll(spoke.log);
        log.addAll(client.log);
        assertThat(log).hasSizeGreaterThan(100); // debug was on everywhere: the test looked at real output
        for (String line : log) {
            for (String secret : secrets) {
                assertThat(line).as("a log line carries a secret").doesNotContain(secret);
            }
        }
        // The SA and policy objects print without their secrets too.
        for (IkeSa sa : lab.hub.sas()) {
            assertThat(sa.keys.toString() + sa.toString()).doesNotContain("cisco123");
            assertThat(sa.phase1.psk()).as("the pre-shared key is not kept past phase 1").isNull();
        }
    }

    @Test
    void theKeyLogIsOffUnlessAskedFor() {
        for (boolean keyLog : new boolean[] {false, true}) {
            IkeEngine hub = new IkeEngine(TestPolicy.seedHub(), ExchangeReplay.HUB,
                    dev.vpnrouter.sim.SimRouter.seededRandom(11));
            hub.setKeyLog(keyLog);
            hub.setDebug(true);
            ExchangeReplay r = new ExchangeReplay(ExchangeReplay.Peer.SPOKE, TestPolicy.seedHub(), hub,
                    TestPolicy.seedSpoke(ExchangeReplay.HUB, "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0"),
                    ExchangeReplay.SPOKE, null).deliver(2);
            hub.receive(r.next(), 0); // MM3: the keys are derived here
            List<IkeEffect> effects = hub.drain();
            assertThat(ExchangeReplay.onlySa(hub).keys).isNotNull();
            if (keyLog) {
                assertThat(effects).filteredOn(e -> e instanceof IkeEffect.KeyLog).hasSize(1);
            } else {
                assertThat(effects).noneMatch(e -> e instanceof IkeEffect.KeyLog);
            }
        }
    }

    @Test
    void ikeAndIpsecKeysAreZeroedWhenTheirSasDie() {
        ExchangeReplay r = ExchangeReplay.start(ExchangeReplay.Peer.SPOKE).finish();
        IkeSaKeys keys = ExchangeReplay.onlySa(r.hub).keys;
        ChildSa child = r.hub.childSas().getFirst();
        assertThat(keys.encryptionKey()).isNotEqualTo(new byte[keys.encryptionKey().length]);
        assertThat(child.inboundKeys()).isNotEqualTo(new byte[child.inboundKeys().length]);

        r.hub.clearIpsec(0); // clear crypto sa
        assertThat(child.inboundKeys()).containsOnly(0);
        assertThat(child.outboundKeys()).containsOnly(0);
        r.hub.clearIsakmp(0); // clear crypto isakmp
        assertThat(keys.destroyed()).isTrue();
        for (byte[] b : List.of(keys.skeyid(), keys.skeyidD(), keys.skeyidA(), keys.skeyidE(), keys.encryptionKey())) {
            assertThat(b).containsOnly(0);
        }
        assertThat(r.hub.counters().internalErrors).isZero();
    }

    @Test
    void aDestroyedEspSaNoLongerHoldsItsKeySchedule() {
        ChildSa c = ExchangeReplay.start(ExchangeReplay.Peer.SPOKE).finish().peer.childSas().getFirst();
        var transform = EspTransforms.of(c.transform());
        EspOutboundSa out = EspOutboundSa.builder(c.outboundSpi(), transform, c.outboundKeys()).build();
        EspInboundSa in = EspInboundSa.builder(c.outboundSpi(), transform, c.outboundKeys()).build();
        byte[] ping = dev.vpnrouter.common.Ipv4Packet.icmpEcho(0x0a020202, 0x0a010101, true, 1, 1, new byte[16]);
        assertThat(in.open(((EspSealResult.Sealed) out.seal(ping)).packet()))
                .isInstanceOf(EspOpenResult.Opened.class);
        in.destroy();
        // The 3DES key schedule is zero: the ICV (JCE's HMAC) still verifies, the decryption is garbage.
        assertThat(in.open(((EspSealResult.Sealed) out.seal(ping)).packet()))
                .isInstanceOf(EspOpenResult.Dropped.class);
    }

    @Test
    void configurationObjectsPrintWithoutTheirSecrets() throws Exception {
        RouterConfig hub = ConfigLoader.load(Path.of("examples/seed/hub.cfg")).config();
        String printed = hub.toString() + new ConfigPolicy(hub).presharedKeyFor(0x01020304);
        assertThat(printed).contains("key ***").doesNotContain("cisco123").doesNotContain("cisco321")
                .doesNotContain("0201024E070A0E2649").doesNotContain("121A0C041104");
    }

    @Test
    void filesWithSecretsAreOwnerOnly(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("hub.cfg");
        PrivateFiles.write(config, "crypto isakmp key cisco123 address 0.0.0.0 0.0.0.0\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        Path existing = dir.resolve("old.cfg");
        Files.writeString(existing, "x");
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rw-r--r--"));
        PrivateFiles.write(existing, "y");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(existing))).isEqualTo("rw-------");
        assertThat(Files.readString(existing)).isEqualTo("y");
        Path keyLog = dir.resolve("ike.keys");
        try (var w = PrivateFiles.append(keyLog)) {
            w.write("secret\n");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyLog))).isEqualTo("rw-------");
        try (var stream = Files.list(dir)) {
            assertThat(stream.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("hub.cfg", "old.cfg",
                    "ike.keys"); // no temporary file left behind
        }
    }
}
