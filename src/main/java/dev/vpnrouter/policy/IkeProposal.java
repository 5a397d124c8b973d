package dev.vpnrouter.policy;

import dev.vpnrouter.config.model.DhGroupId;
import dev.vpnrouter.config.model.IkeAuthentication;
import dev.vpnrouter.config.model.IkeEncryption;
import dev.vpnrouter.config.model.IkeHash;

/** One {@code crypto isakmp policy} as phase-1 negotiation needs it; a lower priority is preferred. */
public record IkeProposal(int priority, IkeEncryption encryption, IkeHash hash, IkeAuthentication authentication,
                          DhGroupId group, int lifetimeSeconds) {

    public int keyBits() {
        return encryption.keyBits();
    }
}
