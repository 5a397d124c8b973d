package dev.vpnrouter.config;

import static dev.vpnrouter.config.Mode.CLIENT_GROUP;
import static dev.vpnrouter.config.Mode.GLOBAL;
import static dev.vpnrouter.config.Mode.INTERFACE;
import static dev.vpnrouter.config.Mode.ISAKMP_POLICY;
import static dev.vpnrouter.config.Mode.ISAKMP_PROFILE;
import static dev.vpnrouter.config.Mode.KEYRING;
import static dev.vpnrouter.config.Mode.MAP_ENTRY;
import static dev.vpnrouter.config.Mode.TRANSFORM_SET;

/**
 * The {@code ?} texts of the {@code crypto} commands ({@link CryptoCommands}) and their sub-modes, keyed by keyword
 * path, in the wording of IOS 12.4/15.x where vpnrouter takes the same command. Every word of these commands has
 * one (a test walks the trees), so {@code ?} never shows a bare keyword.
 */
final class CryptoHelp {
    private CryptoHelp() {
    }

    static void define(IosGrammar g) {
        global(g);
        isakmpPolicy(g);
        keyring(g);
        clientGroup(g);
        profile(g);
        transformSet(g);
        mapEntry(g);
        outOfScope(g);
        g.describe(INTERFACE, "crypto", "Encryption/Decryption commands");
        g.describe(INTERFACE, "crypto map", "Assign a Crypto Map");
        g.describe(INTERFACE, "crypto map WORD", "Crypto Map tag");
    }

    private static void global(IosGrammar g) {
        String[][] help = {
                {"crypto", "Encryption module"},
                {"crypto call", "Configure Crypto Call Admission Control"},
                {"crypto call admission", "Configure Crypto Call Admission Control"},
                {"crypto call admission limit", "Limit Crypto Call Admission"},
                {"crypto call admission limit ike", "Limit IKE negotiations"},
                {"crypto call admission limit ike in-negotiation-sa",
                        "Limit the number of in-negotiation IKE SAs"},
                {"crypto call admission limit ike in-negotiation-sa <10-99999>", "Number of in-negotiation IKE SAs"},
                {"crypto call admission limit ike sa", "Limit the number of IKE SAs"},
                {"crypto call admission limit ike sa <0-99999>", "Number of IKE SAs"},
                {"crypto call admission load", "Set a load threshold for IKE negotiations (not acted on)"},
                {"crypto call admission load LINE", "Load level and polling interval"},
                {"crypto dynamic-map", "Specify a dynamic crypto map template"},
                {"crypto dynamic-map WORD", "Dynamic crypto map template tag"},
                {"crypto dynamic-map WORD <1-65535>", "Sequence to insert into dynamic crypto map entry"},
                {"crypto ipsec", "Configure IPSEC policy"},
                {"crypto ipsec security-association", "Security association parameters"},
                {"crypto ipsec security-association lifetime", "security association lifetime"},
                {"crypto ipsec security-association lifetime seconds", "Time-based key duration"},
                {"crypto ipsec security-association lifetime seconds <120-86400>",
                        "Security association duration in seconds"},
                {"crypto ipsec security-association lifetime kilobytes", "Volume-based key duration"},
                {"crypto ipsec security-association lifetime kilobytes <2560-536870912>",
                        "Security association duration in kilobytes"},
                {"crypto ipsec security-association lifetime kilobytes disable", "Disable Volume-based Rekey"},
                {"crypto ipsec transform-set", "Define transform and settings"},
                {"crypto ipsec transform-set WORD", "Transform set tag"},
                {"crypto isakmp", "Configure ISAKMP policy"},
                {"crypto isakmp aggressive-mode", "Disable ISAKMP aggressive mode"},
                {"crypto isakmp aggressive-mode disable", "Disable ISAKMP aggressive mode"},
                {"crypto isakmp client", "Set client configuration policy"},
                {"crypto isakmp client configuration", "Set client configuration policy"},
                {"crypto isakmp client configuration group", "Set group policy"},
                {"crypto isakmp client configuration group WORD", "Specify group name"},
                {"crypto isakmp identity", "Set the identity which ISAKMP will use"},
                {"crypto isakmp identity address", "Use the IP address of the interface for the identity"},
                {"crypto isakmp identity dn", "Use the distinguished name of the router cert for the identity"},
                {"crypto isakmp identity hostname", "Use the hostname of the router for the identity"},
                {"crypto isakmp keepalive", "Set a keepalive interval for use with IOS peers"},
                {"crypto isakmp keepalive <10-3600>", "Number of seconds between keep alives"},
                {"crypto isakmp keepalive <10-3600> <2-60>",
                        "Number of seconds between retries if keep alive fails"},
                {"crypto isakmp keepalive <10-3600> on-demand", "Send keepalives on demand (default)"},
                {"crypto isakmp keepalive <10-3600> periodic", "Send keepalives periodically"},
                {"crypto isakmp keepalive <10-3600> <2-60> on-demand", "Send keepalives on demand (default)"},
                {"crypto isakmp keepalive <10-3600> <2-60> periodic", "Send keepalives periodically"},
                {"crypto isakmp key", "Set pre-shared key for remote peer"},
                {"crypto isakmp key 0", "Specifies an UNENCRYPTED password will follow"},
                {"crypto isakmp key WORD", "The UNENCRYPTED (cleartext) user password"},
                {"crypto isakmp key 0 WORD", "The UNENCRYPTED (cleartext) user password"},
                {"crypto isakmp nat", "Set a nat keepalive interval for use with IOS peers"},
                {"crypto isakmp nat keepalive", "Set a keepalive interval for use with IOS peers"},
                {"crypto isakmp nat keepalive <5-3600>", "Number of seconds between keep alives"},
                {"crypto isakmp policy", "Set policy for an ISAKMP protection suite"},
                {"crypto isakmp policy <1-10000>", "Priority of protection suite"},
                {"crypto isakmp profile", "Define ISAKMP Profiles"},
                {"crypto isakmp profile WORD", "Name of the profile"},
                {"crypto isakmp xauth", "Set Xauth parameters"},
                {"crypto isakmp xauth timeout", "Set Xauth timeout"},
                {"crypto isakmp xauth timeout <1-90>", "Xauth timeout in seconds"},
                {"crypto keyring", "Key ring commands"},
                {"crypto keyring WORD", "Name of the key ring"},
                {"crypto map", "Enter a crypto map"},
                {"crypto map WORD", "Crypto map tag"},
                {"crypto map WORD <1-65535>", "Sequence to insert into crypto map entry"},
                {"crypto map WORD <1-65535> ipsec-isakmp", "IPSEC w/ISAKMP"},
                {"crypto map WORD <1-65535> ipsec-isakmp dynamic", "Enable dynamic crypto map support"},
                {"crypto map WORD <1-65535> ipsec-isakmp dynamic WORD", "Name of dynamic crypto map template"},
                {"crypto map WORD client", "Specify client configuration settings"},
                {"crypto map WORD client authentication", "Use XAuth for client authentication"},
                {"crypto map WORD client authentication list", "AAA authentication list to use"},
                {"crypto map WORD client authentication list LINE", "AAA authentication list name"},
                {"crypto map WORD client configuration", "Specify client configuration settings"},
                {"crypto map WORD client configuration address", "Specify client network address configuration"},
                {"crypto map WORD client configuration address LINE", "initiate or respond"},
                {"crypto map WORD isakmp", "Specify isakmp configuration settings"},
                {"crypto map WORD isakmp authorization", "Authorization parameters"},
                {"crypto map WORD isakmp authorization list", "AAA authorization list to use"},
                {"crypto map WORD isakmp authorization list LINE", "AAA authorization list name"},
                {"crypto map WORD local-address", "Interface to use for local address for this crypto map"},
                {"crypto map WORD local-address WORD", "Interface name, e.g. FastEthernet0/0"},
                {"crypto map WORD redundancy", "High availability options for this map"},
                {"crypto map WORD redundancy LINE", "Redundancy group name and options"},
        };
        for (String[] h : help) {
            g.describe(GLOBAL, h[0], h[1]);
        }
        // The two ways a pre-shared key names its peer, shared with the keyring's pre-shared-key.
        for (String key : new String[] {"crypto isakmp key WORD", "crypto isakmp key 0 WORD"}) {
            g.describe(GLOBAL, key + " address", "define shared key with IP address");
            g.describe(GLOBAL, key + " address A.B.C.D", "Peer IP address");
            g.describe(GLOBAL, key + " address A.B.C.D A.B.C.D", "Peer IP subnet mask");
            g.describe(GLOBAL, key + " address A.B.C.D no-xauth", "Bypasses XAuth for this peer");
            g.describe(GLOBAL, key + " address A.B.C.D A.B.C.D no-xauth", "Bypasses XAuth for this peer");
            g.describe(GLOBAL, key + " hostname", "define shared key with hostname");
            g.describe(GLOBAL, key + " hostname WORD", "hostname of peer");
            g.describe(GLOBAL, key + " hostname WORD no-xauth", "Bypasses XAuth for this peer");
        }
    }

    /** The crypto commands vpnrouter keeps but does not act on ({@link OutOfScopeCommands}). */
    private static void outOfScope(IosGrammar g) {
        String[][] help = {
                {"crypto", "Encryption module"},
                {"crypto ca", "Certification authority"},
                {"crypto engine", "Enter a crypto engine configurable menu"},
                {"crypto ikev2", "Configure IKEv2 policy"},
                {"crypto ipsec", "Configure IPSEC policy"},
                {"crypto ipsec client", "Configure a client"},
                {"crypto ipsec client ezvpn", "Configure an Easy VPN Remote tunnel"},
                {"crypto ipsec df-bit", "Handle DF bit for encapsulating header"},
                {"crypto ipsec fragmentation", "Fragmentation before/after encryption"},
                {"crypto ipsec nat-transparency", "IPsec NAT transparency model"},
                {"crypto ipsec profile", "Configure an ipsec policy profile"},
                {"crypto ipsec security-association", "Security association parameters"},
                {"crypto ipsec security-association idle-time",
                        "Automatically delete IPSec SAs after a given idle period."},
                {"crypto ipsec security-association replay", "Set replay checking."},
                {"crypto isakmp", "Configure ISAKMP policy"},
                {"crypto isakmp client", "Set client configuration policy"},
                {"crypto isakmp client configuration", "Set client configuration policy"},
                {"crypto isakmp client configuration address-pool", "Set network address pool"},
                {"crypto isakmp invalid-spi-recovery", "Initiate IKE and send Invalid SPI Notify"},
                {"crypto isakmp peer", "Set Peer Policy"},
                {"crypto key", "Long term key operations"},
                {"crypto key pubkey-chain", "Peer public key chain management"},
                {"crypto logging", "logging messages"},
                {"crypto pki", "Public Key components"},
                {"crypto pki certificate", "Actions on certificates"},
                {"crypto pki certificate chain", "Certificate chain of a trustpoint"},
                {"crypto pki trustpoint", "Define a CA trustpoint"},
                {"crypto vpn", "Configure VPN"},
        };
        for (String[] h : help) {
            g.describeOutOfScope(h[0], h[1]);
        }
    }

    private static void isakmpPolicy(IosGrammar g) {
        String[][] help = {
                {"authentication", "Set authentication method for protection suite"},
                {"authentication pre-share", "Pre-Shared Key"},
                {"authentication rsa-encr", "Rivest-Shamir-Adleman Encryption"},
                {"authentication rsa-sig", "Rivest-Shamir-Adleman Signature"},
                {"encryption", "Set encryption algorithm for protection suite"},
                {"encryption 3des", "Three key triple DES"},
                {"encryption aes", "AES - Advanced Encryption Standard."},
                {"encryption aes 128", "128 bit keys."},
                {"encryption aes 192", "192 bit keys."},
                {"encryption aes 256", "256 bit keys."},
                {"encryption des", "DES - Data Encryption Standard (56 bit keys)."},
                {"group", "Set the Diffie-Hellman group"},
                {"group 1", "Diffie-Hellman group 1 (768 bit)"},
                {"group 2", "Diffie-Hellman group 2 (1024 bit)"},
                {"group 5", "Diffie-Hellman group 5 (1536 bit)"},
                {"group 14", "Diffie-Hellman group 14 (2048 bit)"},
                {"group 15", "Diffie-Hellman group 15 (3072 bit)"},
                {"group 16", "Diffie-Hellman group 16 (4096 bit)"},
                {"group 19", "Diffie-Hellman group 19 (256 bit ecp)"},
                {"group 20", "Diffie-Hellman group 20 (384 bit ecp)"},
                {"group 21", "Diffie-Hellman group 21 (521 bit ecp)"},
                {"group 24", "Diffie-Hellman group 24 (2048 bit, 256 bit subgroup)"},
                {"hash", "Set hash algorithm for protection suite"},
                {"hash md5", "Message Digest 5"},
                {"hash sha", "Secure Hash Standard"},
                {"hash sha256", "Secure Hash Standard 2 (256 bit)"},
                {"hash sha384", "Secure Hash Standard 2 (384 bit)"},
                {"hash sha512", "Secure Hash Standard 2 (512 bit)"},
                {"lifetime", "Set lifetime for ISAKMP security association"},
                {"lifetime <60-86400>", "lifetime in seconds"},
                {"no", "Negate a command or set its defaults"},
        };
        for (String[] h : help) {
            g.describe(ISAKMP_POLICY, h[0], h[1]);
        }
    }

    private static void keyring(IosGrammar g) {
        String[][] help = {
                {"description", "Remarks on this keyring"},
                {"description LINE", "Up to 80 characters describing this keyring"},
                {"no", "Negate a command or set its defaults"},
                {"no description LINE", "Anything: the description goes"},
                {"pre-shared-key", "Pre-shared key by address or host name"},
                {"pre-shared-key address", "pre shared key by address"},
                {"pre-shared-key address A.B.C.D", "IP address of the peer"},
                {"pre-shared-key address A.B.C.D A.B.C.D", "IP subnet mask of the peers"},
                {"pre-shared-key hostname", "pre shared key by hostname"},
                {"pre-shared-key hostname WORD", "hostname of the peer"},
                {"no pre-shared-key address A.B.C.D A.B.C.D key LINE", "The key, not needed to remove it"},
                {"no pre-shared-key address A.B.C.D key LINE", "The key, not needed to remove it"},
                {"no pre-shared-key hostname WORD key LINE", "The key, not needed to remove it"},
        };
        for (String[] h : help) {
            g.describe(KEYRING, h[0], h[1]);
        }
        for (String peer : new String[] {"address A.B.C.D", "address A.B.C.D A.B.C.D", "hostname WORD"}) {
            g.describe(KEYRING, "pre-shared-key " + peer + " key", "key");
            g.describe(KEYRING, "pre-shared-key " + peer + " key 0", "Specifies an UNENCRYPTED password will follow");
            g.describe(KEYRING, "pre-shared-key " + peer + " key WORD", "The UNENCRYPTED (cleartext) user password");
            g.describe(KEYRING, "pre-shared-key " + peer + " key 0 WORD",
                    "The UNENCRYPTED (cleartext) user password");
        }
    }

    private static void clientGroup(IosGrammar g) {
        String[][] help = {
                {"acl", "Specify split tunneling inclusion access-list number"},
                {"acl WORD", "Specify access-list name"},
                {"backup-gateway", "Specify backup gateway"},
                {"backup-gateway WORD", "Backup gateway name or IP address"},
                {"banner", "Specify mode config banner"},
                {"dns", "Specify DNS Addresses"},
                {"dns A.B.C.D", "Primary DNS IP address"},
                {"dns A.B.C.D A.B.C.D", "Secondary DNS IP address"},
                {"domain", "Set default domain name to send to client"},
                {"domain WORD", "Domain name"},
                {"include-local-lan", "Enable Local LAN Access with no split tunnel"},
                {"key", "pre-shared key/IKE password"},
                {"key 0", "Specifies an UNENCRYPTED password will follow"},
                {"key WORD", "The UNENCRYPTED (cleartext) user password"},
                {"key 0 WORD", "The UNENCRYPTED (cleartext) user password"},
                {"max-logins", "Set maximum simultaneous logins for users in this group"},
                {"max-logins <1-10>", "Maximum simultaneous logins per user"},
                {"max-users", "Set maximum number of users for this group"},
                {"max-users <1-5000>", "Maximum number of users"},
                {"netmask", "netmask used by the client for local connectivity"},
                {"netmask A.B.C.D", "netmask"},
                {"no", "Negate a command or set its defaults"},
                {"pfs", "The client should propose PFS"},
                {"pool", "Set name of address pool"},
                {"pool WORD", "Name of address pool"},
                {"save-password", "Allows remote client to save XAUTH password"},
                {"split-dns", "DNS name to append for resolution"},
                {"split-dns WORD", "Domain name"},
                {"wins", "Specify WINS Addresses"},
                {"wins A.B.C.D", "Primary WINS IP address"},
                {"wins A.B.C.D A.B.C.D", "Secondary WINS IP address"},
        };
        for (String[] h : help) {
            g.describe(CLIENT_GROUP, h[0], h[1]);
        }
    }

    private static void profile(IosGrammar g) {
        String[][] help = {
                {"client", "Specify client configuration settings"},
                {"client authentication", "Use XAuth for client authentication"},
                {"client authentication list", "AAA authentication list to use"},
                {"client authentication list WORD", "AAA authentication list name"},
                {"client accounting", "Accounting parameters"},
                {"client accounting list", "AAA accounting list to use"},
                {"client accounting list WORD", "AAA accounting list name"},
                {"client configuration", "Specify client configuration settings"},
                {"client configuration address", "Specify client network address configuration"},
                {"client configuration address initiate", "Push the address"},
                {"client configuration address respond", "Respond to address requests"},
                {"description", "Specify a description of this profile"},
                {"description LINE", "Up to 80 characters describing this profile"},
                {"initiate", "Initiator property"},
                {"initiate mode", "initiator mode"},
                {"initiate mode aggressive", "Aggressive Mode Exchange"},
                {"isakmp", "ISAKMP Authorization command"},
                {"isakmp authorization", "ISAKMP Authorization parameters"},
                {"isakmp authorization list", "AAA authorization list to use"},
                {"isakmp authorization list WORD", "AAA authorization list name"},
                {"keepalive", "Set a keepalive interval for use with IOS peers"},
                {"keepalive <10-3600>", "Number of seconds between keep alives"},
                {"keepalive <10-3600> retry", "retry interval"},
                {"keepalive <10-3600> retry <2-60>", "Number of seconds between retries if keep alive fails"},
                {"keyring", "Specify keyring to use"},
                {"keyring WORD", "Keyring name"},
                {"match", "Match values of peer"},
                {"match identity", "Peer's identity"},
                {"match identity address", "IP Address"},
                {"match identity address A.B.C.D", "IP address prefix"},
                {"match identity address A.B.C.D A.B.C.D", "Mask"},
                {"match identity group", "Group name"},
                {"match identity group WORD", "Group name"},
                {"match identity host", "Fully qualified domain name"},
                {"match identity host WORD", "Fully qualified domain name"},
                {"match identity host domain", "Domain name"},
                {"match identity host domain WORD", "Domain name"},
                {"match identity user", "User name"},
                {"match identity user WORD", "User name"},
                {"match identity user domain", "Domain name"},
                {"match identity user domain WORD", "Domain name"},
                {"no", "Negate a command or set its defaults"},
                {"self-identity", "Specify Identity to use"},
                {"self-identity address", "Use IP address as identity"},
                {"self-identity fqdn", "Use FQDN as identity"},
                {"self-identity user-fqdn", "Use user FQDN as identity"},
                {"self-identity user-fqdn WORD", "user FQDN"},
        };
        for (String[] h : help) {
            g.describe(ISAKMP_PROFILE, h[0], h[1]);
        }
    }

    private static void transformSet(IosGrammar g) {
        g.fragmentNamed("TRANSFORM")
                .describe("esp-3des", "ESP transform using 3DES(EDE) cipher (168 bits)")
                .describe("esp-aes", "ESP transform using AES cipher")
                .describe("esp-aes 128", "128 bit keys.")
                .describe("esp-aes 192", "192 bit keys.")
                .describe("esp-aes 256", "256 bit keys.")
                .describe("esp-des", "ESP transform using DES cipher (56 bits)")
                .describe("esp-gcm", "ESP transform using GCM cipher")
                .describe("esp-gcm 128", "128 bit keys.")
                .describe("esp-gcm 256", "256 bit keys.")
                .describe("esp-md5-hmac", "ESP transform using HMAC-MD5 auth")
                .describe("esp-null", "ESP transform w/o cipher")
                .describe("esp-sha-hmac", "ESP transform using HMAC-SHA auth")
                .describe("esp-sha256-hmac", "ESP transform using HMAC-SHA256 auth")
                .describe("esp-sha384-hmac", "ESP transform using HMAC-SHA384 auth")
                .describe("esp-sha512-hmac", "ESP transform using HMAC-SHA512 auth");
        g.describe(TRANSFORM_SET, "mode", "encapsulation mode (transport/tunnel)");
        g.describe(TRANSFORM_SET, "mode transport", "transport (payload encapsulation) mode");
        g.describe(TRANSFORM_SET, "mode tunnel", "tunnel (datagram encapsulation) mode");
        g.describe(TRANSFORM_SET, "no", "Negate a command or set its defaults");
        g.describe(TRANSFORM_SET, "no mode LINE", "Anything: the mode returns to tunnel");
    }

    private static void mapEntry(IosGrammar g) {
        String[][] help = {
                {"description", "Description of the crypto map statement policy"},
                {"description LINE", "Up to 80 characters describing this crypto map"},
                {"match", "Match values."},
                {"match address", "Match address of packets to encrypt."},
                {"match address WORD", "Access-list name"},
                {"no", "Negate a command or set its defaults"},
                {"reverse-route", "Reverse Route Injection."},
                {"reverse-route static", "Create routes regardless of SA existence"},
                {"set", "Set values for encryption/decryption"},
                {"set isakmp-profile", "Specify isakmp Profile"},
                {"set isakmp-profile WORD", "Name of the ISAKMP profile"},
                {"set peer", "Allowed Encryption/Decryption peer."},
                {"set peer A.B.C.D", "IP address of peer"},
                {"set peer WORD", "Host name of the peer"},
                {"set peer A.B.C.D default", "Default peer"},
                {"set peer WORD default", "Default peer"},
                {"set pfs", "Specify pfs settings"},
                {"set pfs group1", "D-H Group1 (768-bit modulus)"},
                {"set pfs group2", "D-H Group2 (1024-bit modulus)"},
                {"set pfs group5", "D-H Group5 (1536-bit modulus)"},
                {"set pfs group14", "D-H Group14 (2048-bit modulus)"},
                {"set pfs group15", "D-H Group15 (3072-bit modulus)"},
                {"set pfs group16", "D-H Group16 (4096-bit modulus)"},
                {"set pfs group19", "D-H Group19 (256-bit elliptic curve)"},
                {"set pfs group20", "D-H Group20 (384-bit elliptic curve)"},
                {"set pfs group21", "D-H Group21 (521-bit elliptic curve)"},
                {"set pfs group24", "D-H Group24 (2048-bit modulus & 256-bit subgroup)"},
                {"set security-association", "Security association parameters"},
                {"set security-association lifetime", "security association lifetime"},
                {"set security-association lifetime kilobytes", "Volume-based key duration"},
                {"set security-association lifetime kilobytes <2560-536870912>",
                        "Security association duration in kilobytes"},
                {"set security-association lifetime kilobytes disable", "Disable Volume-based Rekey"},
                {"set security-association lifetime seconds", "Time-based key duration"},
                {"set security-association lifetime seconds <120-86400>",
                        "Security association duration in seconds"},
                {"set transform-set", "Specify list of transform sets in priority order"},
                {"set transform-set WORD", "Proposal tag"},
        };
        for (String[] h : help) {
            g.describe(MAP_ENTRY, h[0], h[1]);
        }
    }
}
