package dev.vpnrouter.config.secret;

import dev.vpnrouter.interop.Interop;
import dev.vpnrouter.interop.Prerequisites;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Against the reference decoder of the Cisco client's format: needs vpnc installed, not root. */
@Interop
class CiscoClientPasswordInteropTest {
    /** vpnc's cisco-decrypt (the reference decoder of the Cisco client's format) reads what we write. */
    @Test
    void vpncsCiscoDecryptReadsOurEncoding() throws Exception {
        Prerequisites.requireInstalled("cisco-decrypt");
        for (String password : new String[] {"cisco321", "a", "exactly8", "a longer group password 123!"}) {
            String encoded = CiscoClientPassword.encode(password, new SecureRandom());
            assertThat(ciscoDecrypt(encoded)).isEqualTo(password);
        }
    }

    private static String ciscoDecrypt(String hex) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Prerequisites.resolve("cisco-decrypt"), hex).redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(p.exitValue()).as(out).isZero();
        return out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
    }
}
