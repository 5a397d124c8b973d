package dev.vpnrouter.config.model;

/** {@code ip local pool NAME FIRST [LAST]}: one range; several lines with one name add ranges to one pool. */
public record IpLocalPool(String name, int first, int last) {
}
