package dev.vpnrouter.config.secret;

import dev.vpnrouter.interop.Prerequisites;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class CiscoClientPasswordTest {
    @Test
    void roundTripsPasswordsOfEveryLengthAroundTheBlockSize() {
        SecureRandom random = new SecureRandom(new byte[] {1});
        SplittableRandom chars = new SplittableRandom(7);
        for (int len = 0; len <= 33; len++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < len; i++) {
                sb.append((char) (0x21 + chars.nextInt(94)));
            }
            String encoded = CiscoClientPassword.encode(sb.toString(), random);
            assertThat(encoded.length()).isEqualTo(2 * (40 + (len / 8 + 1) * 8));
            assertThat(CiscoClientPassword.decode(encoded)).contains(sb.toString());
        }
    }

    @Test
    void aDamagedValueIsRefusedNotGuessed() {
        String encoded = CiscoClientPassword.encode("cisco321", new SecureRandom());
        char last = encoded.charAt(encoded.length() - 1);
        String tampered = encoded.substring(0, encoded.length() - 1) + (last == '0' ? '1' : '0');
        assertThat(CiscoClientPassword.decode(tampered)).isEmpty();
        assertThat(CiscoClientPassword.decode("not hex")).isEmpty();
        assertThat(CiscoClientPassword.decode(encoded.substring(0, 80))).isEmpty();
    }

    /** vpnc's cisco-decrypt (the reference decoder of the Cisco client's format) reads what we write. */
    @Test
    void vpncsCiscoDecryptReadsOurEncoding() throws Exception {
        Prerequisites.require("cisco-decrypt");
        for (String password : new String[] {"cisco321", "a", "exactly8", "a longer group password 123!"}) {
            String encoded = CiscoClientPassword.encode(password, new SecureRandom());
            assertThat(ciscoDecrypt(encoded)).isEqualTo(password);
        }
    }

    private static String ciscoDecrypt(String hex) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("cisco-decrypt", hex).redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(p.exitValue()).as(out).isZero();
        return out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
    }
}
