package dev.vpnrouter.config.model;

/** {@code mode tunnel|transport} of a transform set. */
public enum IpsecMode {
    TUNNEL,
    TRANSPORT
}
