package dev.vpnrouter.router;

/** Told when an ISAKMP SA comes up or goes away; on the loop thread, like {@link ChildSaListener}. */
public interface IkeSaListener {
    void up(IkeSaSnapshot sa);

    void down(IkeSaSnapshot sa, String reason);
}
