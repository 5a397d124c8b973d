package dev.vpnrouter.ike.wire;

import java.util.List;

/**
 * Security Association payload (RFC 2408 3.4) of the IPsec DOI: a 4-byte situation (SIT_IDENTITY_ONLY in practice)
 * and one or more proposals. Only the IPsec DOI is decoded; another DOI is DOI-NOT-SUPPORTED, and the secrecy or
 * integrity situations (which add labelled-domain fields nobody sends) are SITUATION-NOT-SUPPORTED.
 */
public record SaPayload(int doi, int situation, List<Proposal> proposals) implements Payload {

    public SaPayload {
        proposals = List.copyOf(proposals);
        if (proposals.isEmpty()) {
            throw new IllegalArgumentException("an SA payload has at least one proposal");
        }
    }

    /** An IPsec DOI, identity-only SA. */
    public static SaPayload of(Proposal... proposals) {
        return new SaPayload(Doi.IPSEC, Doi.SIT_IDENTITY_ONLY, List.of(proposals));
    }

    @Override
    public int type() {
        return PayloadType.SA;
    }
}
