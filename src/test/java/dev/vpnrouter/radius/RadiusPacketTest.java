package dev.vpnrouter.radius;

import dev.vpnrouter.common.Hex;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The RADIUS codec against RFC 2865's own example (7.1: user nemo, password arctangent, secret xyzzy5461), and
 * the Message-Authenticator both ways; malformed packets are refused with the reason.
 */
class RadiusPacketTest {
    private static final byte[] SECRET = "xyzzy5461".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REQUEST = hex("""
            01 00 00 38 0f 40 3f 94 73 97 80 57 bd 83 d5 cb
            98 f4 22 7a 01 06 6e 65 6d 6f 02 12 0d be 70 8d
            93 d4 13 ce 31 96 e4 3f 78 2a 0a ee 04 06 c0 a8
            01 10 05 06 00 00 00 03""");
    private static final byte[] ACCEPT = hex("""
            02 00 00 26 86 fe 22 0e 76 24 ba 2a 10 05 f6 bf
            9b 55 e0 b2 06 06 00 00 00 01 0f 06 00 00 00 00
            0e 06 c0 a8 01 03""");
    private static final byte[] REQUEST_AUTHENTICATOR = Arrays.copyOfRange(REQUEST, 4, 20);

    private static byte[] hex(String s) {
        return Hex.decode(s.replaceAll("\\s", ""));
    }

    @Test
    void theRfcExampleDecodesAndItsPasswordIsHiddenAsTheRfcShows() throws Exception {
        RadiusPacket p = RadiusPacket.decode(REQUEST, REQUEST.length);
        assertThat(p.code()).isEqualTo(RadiusPacket.ACCESS_REQUEST);
        assertThat(p.first(Attribute.USER_NAME).asText()).isEqualTo("nemo");
        assertThat(p.first(Attribute.NAS_IP_ADDRESS).asInteger()).isEqualTo(0xc0a80110L);
        assertThat(p.first(5).asInteger()).isEqualTo(3); // NAS-Port
        byte[] hidden = p.first(Attribute.USER_PASSWORD).value();
        assertThat(RadiusPacket.hidePassword("arctangent".getBytes(StandardCharsets.US_ASCII), SECRET,
                REQUEST_AUTHENTICATOR)).isEqualTo(hidden);
        assertThat(new String(RadiusPacket.revealPassword(hidden, SECRET, REQUEST_AUTHENTICATOR),
                StandardCharsets.US_ASCII)).isEqualTo("arctangent");
    }

    @Test
    void theRfcAcceptIsAuthenticAndAnyChangeIsNot() {
        assertThat(RadiusPacket.verifyResponse(ACCEPT, ACCEPT.length, REQUEST_AUTHENTICATOR, SECRET, false))
                .isEqualTo(RadiusPacket.Verification.AUTHENTIC);
        byte[] forged = ACCEPT.clone();
        forged[forged.length - 1] ^= 1; // Login-IP-Host changed
        assertThat(RadiusPacket.verifyResponse(forged, forged.length, REQUEST_AUTHENTICATOR, SECRET, false))
                .isEqualTo(RadiusPacket.Verification.BAD_RESPONSE_AUTHENTICATOR);
        assertThat(RadiusPacket.verifyResponse(ACCEPT, ACCEPT.length, REQUEST_AUTHENTICATOR,
                "xyzzy5462".getBytes(StandardCharsets.US_ASCII), false))
                .isEqualTo(RadiusPacket.Verification.BAD_RESPONSE_AUTHENTICATOR);
        assertThat(RadiusPacket.verifyResponse(ACCEPT, ACCEPT.length, REQUEST_AUTHENTICATOR, SECRET, true))
                .as("required but absent").isEqualTo(RadiusPacket.Verification.BAD_MESSAGE_AUTHENTICATOR);
    }

    @Test
    void ourAccessRequestCarriesAMessageAuthenticatorFirstAndThePasswordAfterTheUserName() throws Exception {
        byte[] ra = REQUEST_AUTHENTICATOR;
        byte[] wire = RadiusPacket.accessRequest(7, ra, List.of(Attribute.text(Attribute.USER_NAME, "nemo"),
                Attribute.ipv4(Attribute.NAS_IP_ADDRESS, 0xc0a80110)), "arctangent".getBytes(), SECRET);
        RadiusPacket p = RadiusPacket.decode(wire, wire.length);
        assertThat(p.identifier()).isEqualTo(7);
        assertThat(p.attributes()).extracting(Attribute::type).containsExactly(Attribute.MESSAGE_AUTHENTICATOR,
                Attribute.USER_NAME, Attribute.USER_PASSWORD, Attribute.NAS_IP_ADDRESS);
        assertThat(RadiusPacket.requestMessageAuthentic(wire, wire.length, SECRET)).isTrue();
        wire[wire.length - 1] ^= 1;
        assertThat(RadiusPacket.requestMessageAuthentic(wire, wire.length, SECRET)).isFalse();
        assertThat(RadiusPacket.revealPassword(p.first(Attribute.USER_PASSWORD).value(), SECRET, ra))
                .isEqualTo("arctangent".getBytes());
    }

    @Test
    void aResponseWithAMessageAuthenticatorIsCheckedOnBoth() {
        byte[] ra = REQUEST_AUTHENTICATOR;
        byte[] wire = RadiusPacket.response(RadiusPacket.ACCESS_ACCEPT, 0, ra,
                List.of(Attribute.ciscoAvPair("ipsec:dns-servers=10.2.2.2")), SECRET);
        assertThat(RadiusPacket.verifyResponse(wire, wire.length, ra, SECRET, true))
                .isEqualTo(RadiusPacket.Verification.AUTHENTIC);
        // Forged by someone who knows the Response Authenticator trick but not the secret: the MAC breaks first.
        byte[] tampered = wire.clone();
        tampered[5] ^= 1;
        assertThat(RadiusPacket.verifyResponse(tampered, tampered.length, ra, SECRET, true))
                .isEqualTo(RadiusPacket.Verification.BAD_RESPONSE_AUTHENTICATOR);
    }

    @Test
    void ciscoAvPairsAndAccountingAuthenticators() throws Exception {
        byte[] wire = RadiusPacket.response(RadiusPacket.ACCESS_ACCEPT, 1, REQUEST_AUTHENTICATOR, List.of(
                Attribute.ciscoAvPair("ipsec:addr-pool=ippool"), Attribute.vendor(311, 1, new byte[] {1}),
                Attribute.ciscoAvPair("ipsec:default-domain=cisco.com")), SECRET);
        assertThat(RadiusPacket.decode(wire, wire.length).ciscoAvPairs())
                .containsExactly("ipsec:addr-pool=ippool", "ipsec:default-domain=cisco.com");
        byte[] acct = RadiusPacket.accountingRequest(3, List.of(Attribute.integer(Attribute.ACCT_STATUS_TYPE, 1),
                Attribute.text(Attribute.ACCT_SESSION_ID, "0000002A")), SECRET);
        assertThat(RadiusPacket.accountingRequestAuthentic(acct, acct.length, SECRET)).isTrue();
        acct[acct.length - 1] ^= 1;
        assertThat(RadiusPacket.accountingRequestAuthentic(acct, acct.length, SECRET)).isFalse();
    }

    @Test
    void malformedPacketsAreRefusedWithTheReason() {
        record Case(String hex, String says) {
        }
        for (Case c : List.of(
                new Case("0200001a", "shorter than the 20-byte header"),
                new Case("02000013" + "00".repeat(16), "outside 20-4096"),
                new Case("02000040" + "00".repeat(16), "only 20 bytes arrived"),
                new Case("02000016" + "00".repeat(16) + "1201", "has length 1"),
                new Case("02000017" + "00".repeat(16) + "120500", "has length 5 with 3 bytes left"),
                new Case("02000015" + "00".repeat(16) + "12", "attribute header cut"),
                new Case("02000016" + "00".repeat(16) + "0002", "type 0"))) {
            byte[] b = Hex.decode(c.hex());
            assertThatThrownBy(() -> RadiusPacket.decode(b, b.length)).as(c.hex())
                    .isInstanceOf(RadiusDecodeException.class).hasMessageContaining(c.says());
        }
    }
}
