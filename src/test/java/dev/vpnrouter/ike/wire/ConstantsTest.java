package dev.vpnrouter.ike.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpnrouter.common.Hex;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ConstantsTest {

    @Test
    void namesOfKnownAndUnknownValues() {
        assertThat(NotifyType.name(16)).isEqualTo("PAYLOAD_MALFORMED");
        assertThat(NotifyType.name(24578)).isEqualTo("INITIAL_CONTACT");
        assertThat(NotifyType.name(36136)).isEqualTo("R_U_THERE");
        assertThat(NotifyType.name(12345)).isEqualTo("12345");
        assertThat(NotifyType.isError(14)).isTrue();
        assertThat(NotifyType.isError(NotifyType.R_U_THERE)).isFalse();
        assertThat(ExchangeType.name(32)).isEqualTo("QUICK_MODE");
        assertThat(ExchangeType.isKnown(ExchangeType.NONE)).isFalse();
        assertThat(PayloadType.name(130)).isEqualTo("NAT_D_DRAFT");
        assertThat(IdType.name(11)).isEqualTo("KEY_ID");
        assertThat(Phase1Attribute.AuthMethod.name(65001)).isEqualTo("XAUTH_INIT_PRESHARED");
        assertThat(IpsecAttribute.EncapsulationMode.name(61443)).isEqualTo("UDP_TUNNEL_DRAFT");
        assertThat(IpsecAttribute.EncapsulationMode.isUdpEncapsulated(61444)).isTrue();
        assertThat(IpsecAttribute.EncapsulationMode.isTunnel(IpsecAttribute.EncapsulationMode.UDP_TUNNEL)).isTrue();
        assertThat(TransformId.name(ProtocolId.IPSEC_ESP, 3)).isEqualTo("ESP_3DES");
        assertThat(TransformId.name(ProtocolId.IPSEC_AH, 3)).isEqualTo("AH_SHA");
        assertThat(ConfigAttribute.name(0x7004)).isEqualTo("UNITY_SPLIT_INCLUDE");
        assertThat(ConfigAttribute.name(16527)).isEqualTo("XAUTH_STATUS");
        assertThat(Phase1Attribute.isVariable(Phase1Attribute.LIFE_DURATION)).isTrue();
        assertThat(Phase1Attribute.isVariable(Phase1Attribute.ENCRYPTION_ALGORITHM)).isFalse();
        assertThat(IpsecAttribute.isVariable(IpsecAttribute.SA_LIFE_DURATION)).isTrue();
    }

    @Test
    void vendorIdsFromTheDesignNotes() {
        assertThat(KnownVendorId.identify(Hex.decode("12f5f28c457168a9702d9fe274cc0100")))
                .contains(KnownVendorId.CISCO_UNITY);
        assertThat(KnownVendorId.identify(Hex.decode("09002689dfd6b712"))).contains(KnownVendorId.XAUTH);
        assertThat(KnownVendorId.identify(Hex.decode("afcad71368a1f1c96b8696fc77570100"))).contains(KnownVendorId.DPD);
        assertThat(KnownVendorId.identify(Hex.decode("4a131c81070358455c5728f20e95452f")))
                .contains(KnownVendorId.NAT_T_RFC3947);
        assertThat(KnownVendorId.identify(Hex.decode("cd60464335df21f87cfdb2fc68b6a448")))
                .contains(KnownVendorId.NAT_T_DRAFT_02);
        assertThat(KnownVendorId.identify(Hex.decode("90cb80913ebb696e086381b5ec427b1f")))
                .contains(KnownVendorId.NAT_T_DRAFT_02N);
        assertThat(KnownVendorId.identify(Hex.decode("7d9419a65310ca6f2c179d9215529d56")))
                .contains(KnownVendorId.NAT_T_DRAFT_03);
        // Cisco fragmentation: 16 bytes, or 20 with capability flags (IOS sends c0000000)
        assertThat(KnownVendorId.identify(Hex.decode("4048b7d56ebce88525e7de7f00d6c2d3")))
                .contains(KnownVendorId.CISCO_FRAGMENTATION);
        assertThat(KnownVendorId.identify(Hex.decode("4048b7d56ebce88525e7de7f00d6c2d3c0000000")))
                .contains(KnownVendorId.CISCO_FRAGMENTATION);
        assertThat(KnownVendorId.identify(Hex.decode("4048b7d56ebce88525e7de7f00d6c2d3c000")))
                .isEmpty();
        // DPD with another version is not DPD; unknown IDs are just values
        assertThat(KnownVendorId.identify(Hex.decode("afcad71368a1f1c96b8696fc77570101"))).isEmpty();
        assertThat(KnownVendorId.identify(new byte[0])).isEmpty();
        assertThat(KnownVendorId.XAUTH.iosName()).isEqualTo("Xauth");
        assertThat(KnownVendorId.CISCO_UNITY.strongSwanName()).isEqualTo("Cisco Unity");
        assertThat(KnownVendorId.CISCO_FRAGMENTATION.bytes()).hasSize(20);
    }

    @Test
    void dataAttributeForms() {
        assertThat(DataAttribute.number(12, 15840).tv()).isTrue();
        DataAttribute big = DataAttribute.number(12, 2147483);
        assertThat(big.tv()).isFalse();
        assertThat(big.length()).isEqualTo(4);
        assertThat(big.unsigned()).hasValue(2147483);
        assertThat(DataAttribute.number(2, 0x1_0000_0000L).length()).isEqualTo(8);
        assertThat(DataAttribute.tlv(6, new byte[64]).unsigned()).hasValue(0); // leading zeros fit
        assertThat(DataAttribute.tlv(6, Hex.decode("010000000000000000")).unsigned()).isEqualTo(OptionalLong.empty());
        assertThat(DataAttribute.tlv(6, Hex.decode("8000000000000000")).unsigned()).isEmpty();
        assertThat(DataAttribute.empty(1).unsigned()).isEmpty();
        assertThat(DataAttribute.text(16521, "gfullage").text()).isEqualTo("gfullage");
        assertThat(DataAttribute.tv(1, 5)).isEqualTo(DataAttribute.tv(1, 5)).isNotEqualTo(DataAttribute.tlv(1,
                Hex.decode("0005")));
    }

    @Test
    void recordsAreImmutable() {
        byte[] data = {1, 2, 3};
        NoncePayload n = new NoncePayload(data);
        data[0] = 9;
        assertThat(n.data()[0]).isEqualTo((byte) 1);
        n.data()[1] = 9;
        assertThat(n.data()[1]).isEqualTo((byte) 2);
        assertThat(n).isEqualTo(new NoncePayload(new byte[] {1, 2, 3}));
        assertThat(n.hashCode()).isEqualTo(new NoncePayload(new byte[] {1, 2, 3}).hashCode());
    }
}
