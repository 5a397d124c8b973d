/*
 * The MM1 flood of interop.HubFloodInteropTest (issue 16): spoofed IKE Main Mode first messages, each with a fresh
 * initiator cookie, from N source addresses (round robin) to one IKE responder, at a given rate for a given time.
 * A raw socket (IPPROTO_RAW: we write the IP and UDP headers, so any source address) and sendmmsg batches, so one
 * core sends well past 100,000 datagrams a second. The answers go to the spoofed addresses, not here.
 *
 * Usage: mm1flood DST_IP DST_PORT FIRST_SOURCE_IP SOURCES PER_SECOND SECONDS TEMPLATE_HEX
 * Prints one line: attempted=N sent=N refused=N seconds=S user=S sys=S (refused: the kernel's ENOBUFS/EAGAIN).
 * Bounded in count and time: it stops after SECONDS, or after PER_SECOND * SECONDS datagrams.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 256
#define MAX_PAYLOAD 1400

static double seconds_since(const struct timespec *start) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - start->tv_sec) + (now.tv_nsec - start->tv_nsec) / 1e9;
}

static uint64_t xorshift(uint64_t *s) {
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

int main(int argc, char **argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: %s DST_IP DST_PORT FIRST_SOURCE_IP SOURCES PER_SECOND SECONDS TEMPLATE_HEX\n", argv[0]);
        return 2;
    }
    struct in_addr dst, first;
    if (!inet_aton(argv[1], &dst) || !inet_aton(argv[3], &first)) {
        fprintf(stderr, "bad address\n");
        return 2;
    }
    int port = atoi(argv[2]);
    long sources = atol(argv[4]);
    long rate = atol(argv[5]);
    double duration = atof(argv[6]);
    const char *hex = argv[7];
    size_t len = strlen(hex) / 2;
    if (sources < 1 || rate < 1 || duration <= 0 || len < 28 || len > MAX_PAYLOAD) {
        fprintf(stderr, "bad arguments\n");
        return 2;
    }
    unsigned char payload[MAX_PAYLOAD];
    for (size_t i = 0; i < len; i++) {
        unsigned int b;
        if (sscanf(hex + 2 * i, "%2x", &b) != 1) {
            fprintf(stderr, "bad template\n");
            return 2;
        }
        payload[i] = (unsigned char) b;
    }

    int fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
    if (fd < 0) {
        perror("socket(AF_INET, SOCK_RAW, IPPROTO_RAW)");
        return 1;
    }
    int sndbuf = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof sndbuf);

    static unsigned char packets[BATCH][20 + 8 + MAX_PAYLOAD];
    static struct iovec iov[BATCH];
    static struct mmsghdr msgs[BATCH];
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = 0, .sin_addr = dst};
    size_t total = 20 + 8 + len;
    for (int i = 0; i < BATCH; i++) {
        struct iphdr *ip = (struct iphdr *) packets[i];
        ip->version = 4;
        ip->ihl = 5;
        ip->tot_len = htons(total);
        ip->ttl = 64;
        ip->protocol = IPPROTO_UDP;
        ip->daddr = dst.s_addr; /* id and checksum: the kernel fills them in (IP_HDRINCL) */
        struct udphdr *udp = (struct udphdr *) (packets[i] + 20);
        udp->source = htons(500);
        udp->dest = htons(port);
        udp->len = htons(8 + len);
        udp->check = 0; /* none, allowed over IPv4 */
        memcpy(packets[i] + 28, payload, len);
        iov[i].iov_base = packets[i];
        iov[i].iov_len = total;
        msgs[i].msg_hdr.msg_name = &to;
        msgs[i].msg_hdr.msg_namelen = sizeof to;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }

    uint64_t seed = (uint64_t) getpid() * 0x9E3779B97F4A7C15ull ^ (uint64_t) time(NULL);
    uint32_t base = ntohl(first.s_addr);
    long limit = (long) (rate * duration);
    long attempted = 0, sent = 0, refused = 0;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    double elapsed;
    while ((elapsed = seconds_since(&start)) < duration && attempted < limit) {
        long due = (long) (elapsed * rate);
        if (due > limit) {
            due = limit;
        }
        if (attempted >= due) {
            struct timespec pause = {0, 200000}; /* 0.2 ms: never spin */
            nanosleep(&pause, NULL);
            continue;
        }
        int n = due - attempted > BATCH ? BATCH : (int) (due - attempted);
        for (int i = 0; i < n; i++) {
            struct iphdr *ip = (struct iphdr *) packets[i];
            ip->saddr = htonl(base + (uint32_t) ((attempted + i) % sources));
            uint64_t cookie = xorshift(&seed);
            memcpy(packets[i] + 28, &cookie, 8);
        }
        int done = 0;
        while (done < n) {
            int r = sendmmsg(fd, msgs + done, n - done, 0);
            if (r < 0) {
                if (errno == ENOBUFS || errno == EAGAIN) {
                    refused++; /* that datagram is lost; go on with the next */
                    done++;
                    continue;
                }
                if (errno == EINTR) {
                    continue;
                }
                perror("sendmmsg");
                return 1;
            }
            sent += r;
            done += r;
        }
        attempted += n;
    }
    elapsed = seconds_since(&start);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("attempted=%ld sent=%ld refused=%ld seconds=%.3f user=%.3f sys=%.3f\n", attempted, sent, refused, elapsed,
           ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6, ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
    return 0;
}
