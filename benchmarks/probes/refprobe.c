/*
 * The reference prober of the probe benchmark: the latency a prober should report, measured with as
 * little in between as the kernel allows.
 *
 *   refprobe HOST TCP_PORT HTTP_PORT
 *
 * Reads one command per line from stdin and answers one line on stdout:
 *   "tcp"  -> the nanoseconds of a blocking connect() to HOST:TCP_PORT (socket creation not timed)
 *   "http" -> the nanoseconds from connect() to HOST:HTTP_PORT until the whole response to
 *             "GET / HTTP/1.1" with "Connection: close" has arrived (headers and Content-Length body)
 *   "loop tcp N" / "loop http N" -> N such probes back to back, answering how many succeeded
 *             (the benchmark reads this process's CPU time around it: the cost of a probe with
 *             nothing but the system calls)
 * An answer is "-1 <errno text>" when the probe failed. Times come from CLOCK_MONOTONIC.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_in target(const char *host, const char *port) {
    struct sockaddr_in address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_port = htons((unsigned short) atoi(port));
    if (inet_pton(AF_INET, host, &address.sin_addr) != 1) {
        fprintf(stderr, "refprobe: %s is not an IPv4 address\n", host);
        exit(2);
    }
    return address;
}

static long long now_nanos(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int new_socket(void) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    return fd;
}

static const char *failure = "";

/* The nanoseconds of a connect() to address, or -1 with failure saying why. */
static long long probe_tcp(const struct sockaddr_in *address) {
    int fd = new_socket();
    if (fd < 0) {
        failure = "socket";
        return -1;
    }
    long long start = now_nanos();
    int rc = connect(fd, (const struct sockaddr *) address, sizeof *address);
    long long end = now_nanos();
    close(fd);
    if (rc != 0) {
        failure = "connect";
        return -1;
    }
    return end - start;
}

/* Bytes of a complete response in buf[0..len), or 0 while the headers or the body are incomplete. */
static size_t complete_length(const char *buf, size_t len) {
    const char *end = memmem(buf, len, "\r\n\r\n", 4);
    if (end == NULL) {
        return 0;
    }
    size_t header_bytes = (size_t) (end - buf) + 4;
    long body = -1;
    for (const char *line = buf; line < end; ) {
        const char *next = memmem(line, (size_t) (end - line), "\r\n", 2);
        if (next == NULL) {
            next = end;
        }
        if ((size_t) (next - line) > 15 && strncasecmp(line, "Content-Length:", 15) == 0) {
            body = strtol(line + 15, NULL, 10);
        }
        line = next + 2;
    }
    if (body < 0) {
        return 0; /* no length: the response ends at EOF */
    }
    return len >= header_bytes + (size_t) body ? header_bytes + (size_t) body : 0;
}

/* The nanoseconds from connect() to the end of a 200 response to request, or -1 with failure saying why. */
static long long probe_http(const struct sockaddr_in *address, const char *request) {
    char buf[16384];
    int fd = new_socket();
    if (fd < 0) {
        failure = "socket";
        return -1;
    }
    long long start = now_nanos();
    if (connect(fd, (const struct sockaddr *) address, sizeof *address) != 0) {
        failure = "connect";
        close(fd);
        return -1;
    }
    size_t request_len = strlen(request);
    if (write(fd, request, request_len) != (ssize_t) request_len) {
        failure = "write";
        close(fd);
        return -1;
    }
    size_t len = 0;
    for (;;) {
        ssize_t n = read(fd, buf + len, sizeof buf - 1 - len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            failure = "read";
            close(fd);
            return -1;
        }
        len += (size_t) n;
        if (n == 0 || complete_length(buf, len) > 0 || len == sizeof buf - 1) {
            break;
        }
    }
    long long end = now_nanos();
    close(fd);
    if (len < 12 || strncmp(buf, "HTTP/1.1 200", 12) != 0) {
        failure = "unexpected response";
        return -1;
    }
    return end - start;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: refprobe HOST TCP_PORT HTTP_PORT\n");
        return 2;
    }
    struct sockaddr_in tcp = target(argv[1], argv[2]);
    struct sockaddr_in http = target(argv[1], argv[3]);
    char request[512];
    snprintf(request, sizeof request,
             "GET / HTTP/1.1\r\nHost: %s:%s\r\nUser-Agent: refprobe\r\nAccept: */*\r\nConnection: close\r\n\r\n",
             argv[1], argv[3]);
    char line[64];
    setvbuf(stdout, NULL, _IOLBF, 0);
    while (fgets(line, sizeof line, stdin) != NULL) {
        long long nanos;
        int is_http = strncmp(line, "http", 4) == 0 || strncmp(line, "loop http", 9) == 0;
        if (strncmp(line, "loop ", 5) == 0) {
            long count = strtol(line + (is_http ? 10 : 9), NULL, 10);
            long ok = 0;
            for (long i = 0; i < count; i++) {
                ok += (is_http ? probe_http(&http, request) : probe_tcp(&tcp)) >= 0;
            }
            printf("%ld\n", ok);
            continue;
        }
        if (strncmp(line, "tcp", 3) != 0 && !is_http) {
            printf("-1 unknown command\n");
            continue;
        }
        errno = 0;
        nanos = is_http ? probe_http(&http, request) : probe_tcp(&tcp);
        if (nanos < 0) {
            printf("-1 %s: %s\n", failure, strerror(errno));
        } else {
            printf("%lld\n", nanos);
        }
    }
    return 0;
}
