package dev.vpnrouter.config;

import dev.vpnrouter.config.Blocks.InterfaceBlock;
import dev.vpnrouter.config.model.InterfaceAddress;

import java.util.Optional;

import static dev.vpnrouter.config.Mode.INTERFACE;
import static dev.vpnrouter.config.model.PassiveLine.Placement.BLOCK;

/**
 * Interface sub-commands. Addressing, shutdown and crypto map are acted on; the rest is kept passive. Passive
 * commands spell out their arguments: a loose rest-of-line here would swallow global commands that abbreviate to
 * them (in interface mode {@code ip route ...} abbreviates {@code ip route-cache}; IOS rejects it there and runs it
 * at global level, and so must we).
 */
final class InterfaceCommands {
    private InterfaceCommands() {
    }

    static void define(IosGrammar g) {
        g.on(INTERFACE, "description LINE:text", (c, a) -> iface(c).description = Optional.of(a.text("text")));
        g.on(INTERFACE, "no description [LINE:rest]", (c, a) -> iface(c).description = Optional.empty());
        g.on(INTERFACE, "ip address IP:address MASK:mask [secondary:secondary]", (c, a) -> {
            if (!Validate.contiguousMask(c, a, "mask", "address") || !Validate.hostAddress(c, a, "address", "mask")) {
                return;
            }
            InterfaceAddress.Static address = new InterfaceAddress.Static(a.ip("address"), a.ip("mask"));
            InterfaceBlock b = iface(c);
            if (a.has("secondary")) {
                if (!b.secondaries.contains(address)) {
                    b.secondaries.add(address);
                }
            } else {
                b.address = address;
            }
        });
        g.on(INTERFACE, "ip address dhcp", (c, a) -> iface(c).address = InterfaceAddress.DHCP);
        g.on(INTERFACE, "no ip address [LINE:rest]", (c, a) -> {
            iface(c).address = InterfaceAddress.NONE;
            iface(c).secondaries.clear();
        });
        g.on(INTERFACE, "shutdown", (c, a) -> iface(c).shutdown = true);
        g.on(INTERFACE, "no shutdown", (c, a) -> iface(c).shutdown = false);
        g.on(INTERFACE, "crypto map WORD:map", (c, a) -> {
            iface(c).cryptoMap = Optional.of(a.text("map"));
            iface(c).mark("crypto-map", c.where(a, "map"));
        });
        g.on(INTERFACE, "no crypto map [WORD:map]", (c, a) -> iface(c).cryptoMap = Optional.empty());

        g.passive(INTERFACE, BLOCK,
                "duplex {auto|full|half}:duplex",
                "speed {auto|10|100|1000}:speed",
                "keepalive [INT(0-32767):period [INT(1-255):retries]]",
                "no keepalive [INT(0-32767):period [INT(1-255):retries]]",
                "ip mroute-cache",
                "no ip mroute-cache",
                "ip route-cache [{cef|flow|same-interface|policy}:kind]",
                "no ip route-cache [{cef|flow|same-interface|policy}:kind]",
                "atm LINE:rest",
                "no atm LINE:rest",
                "cdp enable",
                "no cdp enable",
                "ip nat {inside|outside}:side",
                "ip redirects",
                "no ip redirects",
                "ip unreachables",
                "no ip unreachables",
                "ip proxy-arp",
                "no ip proxy-arp",
                "ip directed-broadcast",
                "no ip directed-broadcast",
                "ip virtual-reassembly [LINE:rest]",
                "no ip virtual-reassembly [LINE:rest]",
                "ip mtu INT(68-65535):mtu",
                "mtu INT(64-65535):mtu",
                "bandwidth INT(1-10000000):kbps",
                "ip tcp adjust-mss INT(500-1460):mss",
                "ip access-group WORD:acl {in|out}:direction",
                "ip helper-address IP:address",
                "ip inspect WORD:name {in|out}:direction",
                "ip ospf LINE:rest",
                "negotiation auto",
                "media-type LINE:rest",
                "load-interval INT(30-600):seconds",
                "no mop enabled",
                "no mop sysid",
                "clock rate INT(300-8000000):rate",
                "encapsulation LINE:rest",
                "tunnel LINE:rest",
                "ppp LINE:rest",
                "dialer LINE:rest",
                // Features vpnrouter does not implement, as real configurations carry them. Each names its
                // sub-command words: a rest-of-line pattern here would swallow a global command of the same first
                // words written after the interface (ip dhcp pool, vrf definition, spanning-tree mode...).
                "ipv6 " + IPV6_WORDS + " [LINE:rest]",
                "no ipv6 " + IPV6_WORDS + " [LINE:rest]",
                "ip flow {ingress|egress|monitor}:what [LINE:rest]",
                "ip verify unicast LINE:rest",
                "ip policy route-map WORD:map",
                "ip pim {sparse-mode|dense-mode|sparse-dense-mode|passive|dr-priority|query-interval|bsr-border|"
                        + "nbma-mode}:what [LINE:rest]",
                "ip igmp {join-group|version|query-interval|static-group|access-group|helper-address|"
                        + "immediate-leave|limit|query-max-response-time}:what [LINE:rest]",
                "ip wccp WORD:service redirect LINE:rest",
                "ip wccp redirect exclude in",
                "ip dhcp {client|relay}:what LINE:rest",
                "ip nbar protocol-discovery [LINE:rest]",
                "ip ips WORD:name {in|out}:direction",
                "ip accounting [LINE:rest]",
                "ip summary-address LINE:rest",
                "ip authentication {mode|key-chain}:what LINE:rest",
                "ip hello-interval LINE:rest",
                "ip hold-time LINE:rest",
                "ip rip LINE:rest",
                "ip router isis [LINE:rest]",
                "ip split-horizon [LINE:rest]",
                "no ip split-horizon [LINE:rest]",
                "ip vrf {forwarding|receive|sitemap}:what LINE:rest",
                "vrf forwarding WORD:vrf",
                "ip nat enable",
                "ip unnumbered LINE:rest",
                "ip address negotiated [LINE:rest]",
                "standby LINE:rest",
                "vrrp LINE:rest",
                "service-policy LINE:rest",
                "zone-member security WORD:zone",
                "switchport [LINE:rest]",
                "no switchport [LINE:rest]",
                "spanning-tree {portfast|bpduguard|bpdufilter|guard|cost|port-priority|link-type}:what [LINE:rest]",
                "channel-group LINE:rest",
                "pppoe LINE:rest",
                "pppoe-client LINE:rest",
                "pvc LINE:rest",
                "dsl LINE:rest",
                "bridge-group LINE:rest",
                "mac-address WORD:mac",
                "hold-queue LINE:rest",
                "carrier-delay LINE:rest",
                "fair-queue [LINE:rest]",
                "no fair-queue",
                "no negotiation auto",
                "delay INT(1-16777215):tens",
                "lldp {transmit|receive|med-tlv-select|tlv-select}:what [LINE:rest]",
                "no lldp {transmit|receive|med-tlv-select|tlv-select}:what [LINE:rest]",
                "storm-control LINE:rest",
                "power inline LINE:rest",
                "snmp trap LINE:rest",
                "no snmp trap LINE:rest",
                "logging event LINE:rest",
                "no logging event LINE:rest",
                "mpls {ip|mtu|label|traffic-eng|bgp|ldp}:what [LINE:rest]",
                "no mpls {ip|mtu|label|traffic-eng|bgp|ldp}:what [LINE:rest]",
                "macro description LINE:rest",
                "authentication {port-control|host-mode|order|priority|periodic|timer|event|open|violation}:what "
                        + "[LINE:rest]",
                "dot1x {pae|timeout|max-reauth-req|max-req}:what [LINE:rest]");
    }

    /** Interface-level {@code ipv6} sub-commands (the global ones start the same, so they are named). */
    private static final String IPV6_WORDS = "{address|enable|nd|ospf|eigrp|rip|mtu|traffic-filter|dhcp|unnumbered|"
            + "verify|policy|virtual-reassembly|redirects|unreachables|flow|inspect|mld|pim|tcp|cef}:what";

    private static InterfaceBlock iface(ParseContext c) {
        return c.block(InterfaceBlock.class);
    }
}
