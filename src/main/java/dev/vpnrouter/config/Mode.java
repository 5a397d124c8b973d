package dev.vpnrouter.config;

/** IOS configuration modes; each has its own command tree. Every mode but GLOBAL is entered by a global command. */
enum Mode {
    GLOBAL,
    KEYRING,
    ISAKMP_POLICY,
    ISAKMP_PROFILE,
    CLIENT_GROUP,
    TRANSFORM_SET,
    MAP_ENTRY,
    INTERFACE,
    ACL_STANDARD,
    ACL_EXTENDED,
    LINE,
    RADIUS_SERVER,
    /** Under the header of a feature vpnrouter does not implement: indented lines are kept as its body. */
    OUT_OF_SCOPE
}
