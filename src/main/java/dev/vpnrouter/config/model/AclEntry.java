package dev.vpnrouter.config.model;

import java.util.Optional;
import java.util.OptionalInt;

/** One line of an access list. */
public sealed interface AclEntry {
    enum Action {
        PERMIT,
        DENY
    }

    /** {@code permit|deny SOURCE [log]} of a standard list. */
    record Standard(Action action, AddressWildcard source, boolean log) implements AclEntry {
    }

    /**
     * {@code permit|deny PROTOCOL SRC [PORT] DST [PORT] [ICMP-TYPE] [established] [log]} of an extended list;
     * protocol 0 is {@code ip} (any protocol).
     */
    record Extended(Action action, int protocol, AddressWildcard source, Optional<PortMatch> sourcePort,
                    AddressWildcard destination, Optional<PortMatch> destinationPort, OptionalInt icmpType,
                    boolean established, boolean log) implements AclEntry {
        public static final int IP = 0;
        public static final int ICMP = 1;
        public static final int TCP = 6;
        public static final int UDP = 17;
    }

    /** {@code remark TEXT}. */
    record Remark(String text) implements AclEntry {
    }
}
