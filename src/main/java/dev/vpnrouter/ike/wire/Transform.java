package dev.vpnrouter.ike.wire;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A Transform payload inside a proposal (RFC 2408 3.6): its number, transform ID (e.g.
 * {@link TransformId.Isakmp#KEY_IKE}, {@link TransformId.Esp#ESP_3DES}) and SA attributes in the order sent.
 */
public record Transform(int number, int transformId, List<DataAttribute> attributes) {

    public Transform {
        Bytes.checkRange(number, 0xff, "transform number");
        Bytes.checkRange(transformId, 0xff, "transform id");
        attributes = List.copyOf(attributes);
    }

    public static Transform of(int number, int transformId, DataAttribute... attributes) {
        return new Transform(number, transformId, List.of(attributes));
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

    /** The numeric value of the first attribute of the given type, if present and numeric. */
    public OptionalLong value(int type) {
        return attribute(type).map(DataAttribute::unsigned).orElse(OptionalLong.empty());
    }
}
