package dev.vpnrouter.esp;

/** Where an SA direction stands against its volume and sequence-number limits. */
public enum EspLifetimeState {
    /** Within all limits. */
    ACTIVE,
    /** A soft limit was reached, or the sequence number space is nearly used up: rekey now. */
    REKEY_NEEDED,
    /** A hard limit was reached or the sequence numbers ran out: the SA refuses traffic. */
    EXPIRED
}
