package dev.vpnrouter.ike.wire;

import java.util.List;
import java.util.Optional;

/**
 * Attributes payload (type 14, draft-dukes-ike-mode-cfg-02 3.2) carrying Xauth and Mode Config: the configuration
 * message type ({@link ConfigType}), an identifier matching replies to requests, and attributes in TV or TLV form
 * ({@link ConfigAttribute}).
 */
public record AttributePayload(int cfgType, int identifier, List<DataAttribute> attributes) implements Payload {

    public AttributePayload {
        Bytes.checkRange(cfgType, 0xff, "cfg type");
        Bytes.checkRange(identifier, 0xffff, "identifier");
        attributes = List.copyOf(attributes);
    }

    public static AttributePayload of(int cfgType, int identifier, DataAttribute... attributes) {
        return new AttributePayload(cfgType, identifier, List.of(attributes));
    }

    @Override
    public int type() {
        return PayloadType.ATTRIBUTE;
    }

    /** The first attribute of the given type, if any. */
    public Optional<DataAttribute> attribute(int type) {
        for (DataAttribute a : attributes) {
            if (a.type() == type) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
