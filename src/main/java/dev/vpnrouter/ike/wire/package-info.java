/**
 * The ISAKMP (IKEv1) wire format: immutable records and their codec, apart from any exchange logic.
 *
 * <ul>
 * <li>{@link dev.vpnrouter.ike.wire.IsakmpCodec}: datagram → {@link dev.vpnrouter.ike.wire.PlainMessage} or
 * {@link dev.vpnrouter.ike.wire.EncryptedMessage}; decrypted body → {@link dev.vpnrouter.ike.wire.PayloadChain};
 * records → bytes. The only decode error is {@link dev.vpnrouter.ike.wire.IsakmpDecodeException}, carrying the RFC
 * 2408 notify to answer with.</li>
 * <li>{@link dev.vpnrouter.ike.wire.Payload} records: SA (with {@link dev.vpnrouter.ike.wire.Proposal},
 * {@link dev.vpnrouter.ike.wire.Transform}, {@link dev.vpnrouter.ike.wire.DataAttribute}), KE, ID, CERT, CR, HASH, SIG,
 * NONCE, Notify, Delete, Vendor ID, Attributes, NAT-D, NAT-OA, Fragment, and Unknown for any other type.</li>
 * <li>{@link dev.vpnrouter.ike.wire.MessageRule}: which payloads each message of Main, Aggressive, Quick Mode,
 * Informational and Transaction exchanges may carry; checked before exchange logic runs.</li>
 * <li>Constant holders with {@code name(int)} for logs: {@link dev.vpnrouter.ike.wire.ExchangeType},
 * {@link dev.vpnrouter.ike.wire.PayloadType}, {@link dev.vpnrouter.ike.wire.NotifyType},
 * {@link dev.vpnrouter.ike.wire.IdType}, {@link dev.vpnrouter.ike.wire.ProtocolId},
 * {@link dev.vpnrouter.ike.wire.TransformId}, {@link dev.vpnrouter.ike.wire.Phase1Attribute},
 * {@link dev.vpnrouter.ike.wire.IpsecAttribute}, {@link dev.vpnrouter.ike.wire.ConfigType},
 * {@link dev.vpnrouter.ike.wire.ConfigAttribute}, {@link dev.vpnrouter.ike.wire.CertEncoding},
 * {@link dev.vpnrouter.ike.wire.Doi}; {@link dev.vpnrouter.ike.wire.KnownVendorId} for vendor IDs.</li>
 * </ul>
 */
package dev.vpnrouter.ike.wire;
