package dev.vpnrouter.config;

import static dev.vpnrouter.config.model.PassiveLine.Placement.HEAD;
import static dev.vpnrouter.config.model.PassiveLine.Placement.TAIL;

/**
 * IOS features outside what vpnrouter does (routing protocols, DHCP server, QoS, PKI, IPv6, voice, switching...): a
 * configuration taken from a real router loads with them, printed back and noted by {@code check} as not acted on.
 * A block header keeps the lines indented under it. Only real IOS command words are listed, so a typo still gets
 * {@code % Invalid input}; within a listed feature nothing is checked. They are tried after every command
 * vpnrouter implements ({@link IosGrammar#outOfScope}).
 */
final class OutOfScopeCommands {
    private OutOfScopeCommands() {
    }

    static void define(IosGrammar g) {
        // Before the crypto section in show running-config.
        g.outOfScopeBlocks(HEAD,
                "vrf definition LINE:rest",
                "ip dhcp class LINE:rest",
                "ipv6 dhcp pool LINE:rest",
                "ipv6 access-list LINE:rest",
                "crypto pki LINE:rest",
                "crypto pki certificate LINE:rest",
                "crypto ca LINE:rest",
                "crypto key pubkey-chain LINE:rest",
                "crypto ikev2 LINE:rest",
                "crypto isakmp peer LINE:rest",
                "crypto ipsec profile LINE:rest",
                "crypto ipsec client ezvpn LINE:rest",
                "redundancy",
                "archive",
                "vlan LINE:rest",
                "parameter-map LINE:rest",
                "zone security LINE:rest",
                "zone-pair LINE:rest",
                "object-group LINE:rest",
                "key chain LINE:rest",
                "aaa group server LINE:rest",
                "aaa server LINE:rest",
                "dot11 ssid LINE:rest",
                "flow {record|exporter|monitor}:what LINE:rest",
                "webvpn LINE:rest",
                "vpdn-group LINE:rest",
                "bba-group LINE:rest",
                "voice service LINE:rest",
                "voice class LINE:rest",
                "voice translation-rule LINE:rest",
                "voice-card LINE:rest",
                "application",
                "netconf-yang");
        // Headers whose sub-mode IOS names otherwise than config-FIRSTWORD.
        g.outOfScopeBlock(HEAD, "config-vrf", "ip vrf LINE:rest");
        g.outOfScopeBlock(HEAD, "dhcp-config", "ip dhcp pool LINE:rest");
        g.outOfScopeBlock(HEAD, "config-rtr", "ipv6 router LINE:rest");
        g.outOfScopeBlock(HEAD, "ca-trustpoint", "crypto pki trustpoint LINE:rest");
        g.outOfScopeBlock(HEAD, "config-cert-chain", "crypto pki certificate chain LINE:rest");
        g.outOfScopeBlock(HEAD, "config-cmap", "class-map LINE:rest");
        g.outOfScopeBlock(HEAD, "config-pmap", "policy-map LINE:rest");
        g.outOfScopeLines(HEAD,
                "ip routing",
                "no ip routing",
                "ip dhcp LINE:rest",
                "no ip dhcp LINE:rest",
                "ipv6 LINE:rest",
                "no ipv6 LINE:rest",
                // Words that are a prefix of a block header's keyword: spelled out, or "ipv6 route" would be
                // taken as an abbreviation of "ipv6 router".
                "ipv6 route LINE:rest",
                "ipv6 dhcp LINE:rest",
                "key config-key LINE:rest",
                "dot11 LINE:rest",
                "voice LINE:rest",
                "dialer LINE:rest",
                "vpdn LINE:rest",
                "ip scp LINE:rest",
                "ip tftp LINE:rest",
                "ip ftp LINE:rest",
                "ip dns LINE:rest",
                "ip icmp LINE:rest",
                "no ip icmp LINE:rest",
                "ip tcp LINE:rest",
                "ip options LINE:rest",
                "ip finger",
                "no ip finger",
                "ip gratuitous-arps",
                "no ip gratuitous-arps",
                "ip igmp LINE:rest",
                "ip pim LINE:rest",
                "ip wccp LINE:rest",
                "ip flow-export LINE:rest",
                "ip flow-cache LINE:rest",
                "ip arp LINE:rest",
                "ip ips LINE:rest",
                "ip port-map LINE:rest",
                "ip nbar LINE:rest",
                "ip bgp-community LINE:rest",
                "ip ospf LINE:rest",
                "ip local policy LINE:rest",
                "crypto logging LINE:rest",
                "crypto engine LINE:rest",
                "crypto vpn LINE:rest",
                "crypto isakmp invalid-spi-recovery",
                "crypto isakmp client configuration address-pool LINE:rest",
                "crypto ipsec df-bit LINE:rest",
                "crypto ipsec fragmentation LINE:rest",
                "crypto ipsec nat-transparency LINE:rest",
                "no crypto ipsec nat-transparency LINE:rest",
                "crypto ipsec security-association replay LINE:rest",
                "crypto ipsec security-association idle-time LINE:rest",
                "license LINE:rest",
                "file LINE:rest",
                "hw-module LINE:rest",
                "platform LINE:rest",
                "diagnostic LINE:rest",
                "memory LINE:rest",
                "spanning-tree LINE:rest",
                "vtp LINE:rest",
                "mac LINE:rest",
                "port-channel LINE:rest",
                "authentication LINE:rest",
                "dot1x LINE:rest",
                "sdm LINE:rest",
                "security LINE:rest",
                "login LINE:rest",
                "lldp run",
                "subscriber LINE:rest",
                "mmi LINE:rest",
                "no mmi LINE:rest",
                "netconf LINE:rest",
                "restconf",
                "mpls LINE:rest",
                "no mpls LINE:rest",
                "dialer-list LINE:rest",
                "bridge LINE:rest",
                "exception LINE:rest");
        // After the interfaces: routing, policy lists, management, voice.
        g.outOfScopeBlocks(TAIL,
                "router LINE:rest",
                "route-map LINE:rest",
                "ip sla INT(1-2147483647):operation",
                "track LINE:rest",
                "tacacs server LINE:rest",
                "event manager applet LINE:rest",
                "kron LINE:rest",
                "call-home",
                "control-plane [LINE:rest]",
                "controller LINE:rest",
                "dial-peer LINE:rest",
                "voice-port LINE:rest",
                "telephony-service",
                "sip-ua",
                "gatekeeper");
        g.outOfScopeLines(TAIL,
                "ip prefix-list LINE:rest",
                "ip as-path LINE:rest",
                "ip community-list LINE:rest",
                "ip sla LINE:rest",
                "ip radius LINE:rest",
                "ip tacacs LINE:rest",
                "tacacs-server LINE:rest",
                "snmp LINE:rest",
                "event manager LINE:rest");
    }
}
