package dev.vpnrouter.cli.remote;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.model.AccessList;
import dev.vpnrouter.config.model.AclEntry;
import dev.vpnrouter.config.model.LineBlock;
import dev.vpnrouter.config.model.RouterConfig;

import java.util.Optional;

/**
 * Whether a connection may reach a vty line at all, before any login, as {@code line vty} says: {@code transport
 * input} names the protocols it accepts, {@code access-class N in} the sources (first matching line decides,
 * nothing matching is a deny). An access class that names no access list refuses everyone: the configuration did
 * not say who may come in. Pure: no I/O.
 */
final class VtyAccess {
    private VtyAccess() {
    }

    /** Null when {@code source} may connect over {@code protocol} ("ssh"); otherwise why not, for the log. */
    static String refusal(RouterConfig config, int source, String protocol) {
        Optional<LineBlock> vty = config.lines().stream().filter(l -> l.kind() == LineBlock.Kind.VTY).findFirst();
        if (vty.isEmpty()) {
            return null;
        }
        if (!vty.get().acceptsTransport(protocol)) {
            return "transport input of line vty does not include " + protocol;
        }
        Optional<String> acl = vty.get().accessClassIn().map(LineBlock.AccessClass::acl);
        if (acl.isEmpty()) {
            return null;
        }
        Optional<AccessList> list = config.accessList(acl.get());
        if (list.isEmpty()) {
            return "access-class " + acl.get() + " names no access list";
        }
        for (AclEntry e : list.get().entries()) {
            Optional<Boolean> permit = switch (e) {
                case AclEntry.Standard st -> st.source().matches(source)
                        ? Optional.of(st.action() == AclEntry.Action.PERMIT) : Optional.empty();
                case AclEntry.Extended x -> x.source().matches(source) && (x.protocol() == 0 || x.protocol() == 6)
                        ? Optional.of(x.action() == AclEntry.Action.PERMIT) : Optional.empty();
                case AclEntry.Remark r -> Optional.empty();
            };
            if (permit.isPresent()) {
                return permit.get() ? null : Ipv4.format(source) + " is denied by access-class " + acl.get();
            }
        }
        return Ipv4.format(source) + " matches no line of access-class " + acl.get();
    }
}
