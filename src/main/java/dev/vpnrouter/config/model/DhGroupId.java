package dev.vpnrouter.config.model;

/** A Diffie-Hellman group by its IKE number, as {@code group N} and {@code set pfs groupN} name it. */
public enum DhGroupId {
    GROUP1(1),
    GROUP2(2),
    GROUP5(5),
    GROUP14(14),
    GROUP15(15),
    GROUP16(16),
    GROUP19(19),
    GROUP20(20),
    GROUP21(21),
    GROUP24(24);

    private final int number;

    DhGroupId(int number) {
        this.number = number;
    }

    /** The IKE/IANA group number (Oakley group attribute value). */
    public int number() {
        return number;
    }

    public static DhGroupId of(int number) {
        for (DhGroupId g : values()) {
            if (g.number == number) {
                return g;
            }
        }
        throw new IllegalArgumentException("no DH group " + number);
    }
}
