package dev.vpnrouter.config;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.syntax.Args;

/** Argument checks IOS makes after the syntax matched; each reports its own IOS-style error and returns false. */
final class Validate {
    private Validate() {
    }

    /** A mask that must be contiguous (ip address, ip route, keyring and match identity masks, netmask). */
    static boolean contiguousMask(ParseContext c, Args a, String maskArg, String addressArg) {
        int mask = a.ip(maskArg);
        if (Ipv4.isContiguousMask(mask)) {
            return true;
        }
        String forAddress = addressArg == null ? "" : " for address " + Ipv4.format(a.ip(addressArg));
        c.error(a.column(maskArg), "% Bad mask " + Ipv4.format(mask) + forAddress + ": a mask must be contiguous");
        return false;
    }

    /** A prefix with no bits outside its mask (ip route). */
    static boolean prefixMatchesMask(ParseContext c, Args a, String prefixArg, String maskArg) {
        if ((a.ip(prefixArg) & ~a.ip(maskArg)) == 0) {
            return true;
        }
        c.error(a.column(prefixArg), "% Inconsistent address and mask");
        return false;
    }

    /** An interface address that is neither the subnet's network nor its broadcast address. */
    static boolean hostAddress(ParseContext c, Args a, String addressArg, String maskArg) {
        int address = a.ip(addressArg);
        int mask = a.ip(maskArg);
        int host = address & ~mask;
        if (Ipv4.prefixLength(mask) >= 31 || (host != 0 && host != ~mask)) {
            return true;
        }
        c.error(a.column(addressArg), "% Bad mask /" + Ipv4.prefixLength(mask) + " for address "
                + Ipv4.format(address));
        return false;
    }
}
