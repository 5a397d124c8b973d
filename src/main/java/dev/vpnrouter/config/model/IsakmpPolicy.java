package dev.vpnrouter.config.model;

/** {@code crypto isakmp policy N}: one IKE phase-1 proposal; a lower priority number is offered first. */
public record IsakmpPolicy(int priority, IkeEncryption encryption, IkeHash hash, IkeAuthentication authentication,
                           DhGroupId group, int lifetimeSeconds) {
    public static final int DEFAULT_LIFETIME = 86400;

    /** The IOS defaults a new policy starts from: des, sha, rsa-sig, group 1, 86400 s. The one place they live. */
    public static IsakmpPolicy defaults(int priority) {
        return new IsakmpPolicy(priority, IkeEncryption.DES, IkeHash.SHA, IkeAuthentication.RSA_SIG, DhGroupId.GROUP1,
                DEFAULT_LIFETIME);
    }
}
