package dev.vpnrouter.ike.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MessageRuleTest {
    private static final SaPayload SA = SaPayload.of(Proposal.of(1, ProtocolId.ISAKMP, new byte[0],
            Transform.of(1, TransformId.Isakmp.KEY_IKE)));
    private static final HashPayload HASH = new HashPayload(new byte[20]);
    private static final NoncePayload NONCE = new NoncePayload(new byte[16]);
    private static final KePayload KE = new KePayload(new byte[128]);
    private static final IdPayload ID = IdPayload.ipv4(0x0a000001);
    private static final VendorIdPayload VID = KnownVendorId.DPD.payload();
    private static final NotifyPayload INITIAL_CONTACT = NotifyPayload.of(ProtocolId.ISAKMP,
            NotifyType.INITIAL_CONTACT, new byte[16], new byte[0]);

    private static IsakmpHeader header(int exchange, boolean encrypted) {
        return IsakmpHeader.of(1, 2, exchange, encrypted ? IsakmpHeader.FLAG_ENCRYPTION : 0, 0);
    }

    private static int failure(MessageRule rule, boolean encrypted, Payload... payloads) {
        IsakmpDecodeException e = catchThrowableOfType(IsakmpDecodeException.class,
                () -> rule.check(header(rule.exchangeType(), encrypted), List.of(payloads)));
        return e == null ? 0 : e.notifyType();
    }

    @Test
    void typicalMessagesPass() {
        assertThatCode(() -> {
            MessageRule.MAIN_MODE_1.check(header(2, false), List.of(SA, VID, VID));
            MessageRule.MAIN_MODE_3.check(header(2, false), List.of(KE, NONCE, new NatDPayload(new byte[20], true),
                    new NatDPayload(new byte[20], true)));
            MessageRule.MAIN_MODE_5.check(header(2, true), List.of(ID, HASH, INITIAL_CONTACT));
            MessageRule.MAIN_MODE_6.check(header(2, true), List.of(ID, new SignaturePayload(new byte[8])));
            MessageRule.AGGRESSIVE_1.check(header(4, false), List.of(SA, KE, NONCE, ID, VID));
            MessageRule.AGGRESSIVE_3.check(header(4, false), List.of(HASH));
            MessageRule.AGGRESSIVE_3.check(header(4, true), List.of(HASH, INITIAL_CONTACT));
            MessageRule.QUICK_MODE_1.check(header(32, true), List.of(HASH, SA, NONCE, KE, ID, ID,
                    NatOaPayload.ipv4(1, false), NatOaPayload.ipv4(2, false)));
            MessageRule.QUICK_MODE_2.check(header(32, true), List.of(HASH, SA, NONCE, NotifyPayload.of(
                    ProtocolId.IPSEC_ESP, NotifyType.RESPONDER_LIFETIME, new byte[4], new byte[8])));
            MessageRule.QUICK_MODE_3.check(header(32, true), List.of(HASH));
            MessageRule.INFORMATIONAL.check(header(5, true), List.of(HASH, DeletePayload.ofSpis(3, 1)));
            MessageRule.INFORMATIONAL.check(header(5, false), List.of(NotifyPayload.of(ProtocolId.ISAKMP,
                    NotifyType.NO_PROPOSAL_CHOSEN, new byte[0], new byte[0])));
            MessageRule.TRANSACTION.check(header(6, true), List.of(HASH,
                    AttributePayload.of(ConfigType.ISAKMP_CFG_REQUEST, 1)));
        }).doesNotThrowAnyException();
    }

    @Test
    void wrongExchangeType() {
        IsakmpDecodeException e = catchThrowableOfType(IsakmpDecodeException.class,
                () -> MessageRule.MAIN_MODE_1.check(header(ExchangeType.AGGRESSIVE, false), List.of(SA)));
        assertThat(e.notifyType()).isEqualTo(NotifyType.INVALID_EXCHANGE_TYPE);
    }

    @Test
    void encryptionFlag() {
        assertThat(failure(MessageRule.MAIN_MODE_5, false, ID, HASH)).isEqualTo(NotifyType.INVALID_FLAGS);
        assertThat(failure(MessageRule.MAIN_MODE_1, true, SA)).isEqualTo(NotifyType.INVALID_FLAGS);
        assertThat(failure(MessageRule.QUICK_MODE_3, false, HASH)).isEqualTo(NotifyType.INVALID_FLAGS);
    }

    @Test
    void payloadsNotAllowed() {
        assertThat(failure(MessageRule.MAIN_MODE_1, false, SA, KE)).isEqualTo(NotifyType.INVALID_PAYLOAD_TYPE);
        assertThat(failure(MessageRule.QUICK_MODE_3, true, HASH, VID)).isEqualTo(NotifyType.INVALID_PAYLOAD_TYPE);
        assertThat(failure(MessageRule.MAIN_MODE_1, false, SA, new UnknownPayload(99, new byte[0])))
                .isEqualTo(NotifyType.INVALID_PAYLOAD_TYPE);
    }

    @Test
    void counts() {
        assertThat(failure(MessageRule.MAIN_MODE_1, false, VID)).isEqualTo(NotifyType.PAYLOAD_MALFORMED);
        assertThat(failure(MessageRule.MAIN_MODE_1, false, SA, SA)).isEqualTo(NotifyType.PAYLOAD_MALFORMED);
        assertThat(failure(MessageRule.MAIN_MODE_3, false, KE)).isEqualTo(NotifyType.PAYLOAD_MALFORMED);
        assertThat(failure(MessageRule.QUICK_MODE_1, true, HASH, SA, NONCE, ID, ID, ID))
                .isEqualTo(NotifyType.PAYLOAD_MALFORMED);
        assertThat(failure(MessageRule.TRANSACTION, true, HASH)).isEqualTo(NotifyType.PAYLOAD_MALFORMED);
    }

    @Test
    void authenticationPayloadRequired() {
        assertThat(failure(MessageRule.MAIN_MODE_5, true, ID)).isEqualTo(NotifyType.PAYLOAD_MALFORMED);
        assertThat(failure(MessageRule.AGGRESSIVE_3, false, INITIAL_CONTACT)).isEqualTo(NotifyType.PAYLOAD_MALFORMED);
        assertThat(failure(MessageRule.INFORMATIONAL, true, HASH)).isEqualTo(NotifyType.PAYLOAD_MALFORMED);
    }

    @Test
    void hashFirst() {
        assertThat(failure(MessageRule.QUICK_MODE_1, true, SA, HASH, NONCE)).isEqualTo(NotifyType.PAYLOAD_MALFORMED);
        assertThat(failure(MessageRule.QUICK_MODE_1, true, SA, NONCE)).isEqualTo(NotifyType.INVALID_HASH_INFORMATION);
        assertThat(failure(MessageRule.QUICK_MODE_3, true)).isEqualTo(NotifyType.INVALID_HASH_INFORMATION);
        assertThat(failure(MessageRule.INFORMATIONAL, true, DeletePayload.ofSpis(3, 1)))
                .isEqualTo(NotifyType.INVALID_HASH_INFORMATION);
        assertThat(failure(MessageRule.TRANSACTION, true, AttributePayload.of(1, 1), HASH))
                .isEqualTo(NotifyType.PAYLOAD_MALFORMED);
    }

    @ParameterizedTest
    @EnumSource(MessageRule.class)
    void tableIsConsistent(MessageRule rule) {
        assertThat(ExchangeType.isKnown(rule.exchangeType())).isTrue();
        assertThat(rule.counts()).extracting(PayloadCount::type).doesNotHaveDuplicates();
        assertThat(rule.counts()).allSatisfy(c -> assertThat(PayloadType.isKnown(c.type())).isTrue());
        assertThat(rule.atLeastOneOf()).allSatisfy(t -> assertThat(rule.allows(t)).isTrue());
        if (rule.hashFirstWhenEncrypted()) {
            assertThat(rule.allows(PayloadType.HASH)).isTrue();
        }
        assertThat(rule.allows(PayloadType.PROPOSAL)).isFalse();
        assertThat(rule.count(PayloadType.TRANSFORM)).isEmpty();
    }
}
