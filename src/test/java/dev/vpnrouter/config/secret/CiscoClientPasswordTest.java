package dev.vpnrouter.config.secret;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The Cisco VPN Client's password encoding; vpnc's decoder reads it in {@link CiscoClientPasswordInteropTest}. */
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
}
