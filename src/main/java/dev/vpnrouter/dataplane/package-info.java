/**
 * The ESP data plane, sans-IO: {@link dev.vpnrouter.dataplane.DataPlane} holds the SA database that the IKE
 * engine's {@code InstallChild}/{@code DeleteChild} effects fill, matches inside packets against the crypto map
 * like IOS (static entries' ACLs in sequence order, then SAs created from dynamic entries), seals and opens them
 * with the {@code esp} engine, and reports what its host must do as {@link dev.vpnrouter.dataplane.OutboundResult},
 * {@link dev.vpnrouter.dataplane.InboundResult} and {@link dev.vpnrouter.dataplane.DataPlaneEvent}. The same class
 * runs in the lab ({@code sim.SimLanRouter}) and behind the Linux edge (TUN, raw ESP, UDP 4500).
 */
package dev.vpnrouter.dataplane;
