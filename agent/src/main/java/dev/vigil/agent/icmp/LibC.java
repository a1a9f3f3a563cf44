package dev.vigil.agent.icmp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The C library functions the ICMP sockets call, as a JNA binding, with the Linux constants they
 * take (x86-64 and AArch64 share them). Each function throws {@link LastErrorException} carrying
 * {@code errno} when it fails. Tests implement this interface to play the kernel's part.
 *
 * <p>{@code size_t}, {@code ssize_t} and {@code nfds_t} are {@link NativeLong}s (as wide as a
 * pointer on Linux); buffers passed as Java arrays are copied in (and back out) by JNA.
 */
public interface LibC extends Library {
    /** {@code AF_INET}. */
    int AF_INET = 2;
    /** {@code AF_INET6}. */
    int AF_INET6 = 10;
    /** {@code SOCK_DGRAM}: with {@code IPPROTO_ICMP}, an unprivileged ping socket. */
    int SOCK_DGRAM = 2;
    /** {@code SOCK_RAW}: needs {@code CAP_NET_RAW}. */
    int SOCK_RAW = 3;
    /** {@code SOCK_CLOEXEC}, or-ed into the type. */
    int SOCK_CLOEXEC = 0x80000;

    /** {@code IPPROTO_IP} ({@code SOL_IP}). */
    int IPPROTO_IP = 0;
    /** {@code IPPROTO_ICMP}. */
    int IPPROTO_ICMP = 1;
    /** {@code IPPROTO_IPV6} ({@code SOL_IPV6}). */
    int IPPROTO_IPV6 = 41;
    /** {@code IPPROTO_ICMPV6}. */
    int IPPROTO_ICMPV6 = 58;
    /** {@code SOL_RAW}. */
    int SOL_RAW = 255;

    /** {@code IP_TTL}: the TTL of sent packets; -1 restores the system default. */
    int IP_TTL = 2;
    /** {@code IP_MTU_DISCOVER}: whether sent packets carry the DF bit. */
    int IP_MTU_DISCOVER = 10;
    /** {@code IP_PMTUDISC_WANT}: Linux's default, DF set unless the packet must be fragmented on this host. */
    int IP_PMTUDISC_WANT = 1;
    /** {@code IP_PMTUDISC_DO}: DF bit set, never fragmented. */
    int IP_PMTUDISC_DO = 2;
    /** {@code IP_RECVERR}: ICMP errors for the socket are queued on its error queue. */
    int IP_RECVERR = 11;
    /** {@code IP_RECVTTL}: a received packet's TTL arrives as an {@code IP_TTL} control message. */
    int IP_RECVTTL = 12;
    /** {@code ICMP_FILTER} (level {@code SOL_RAW}): a mask of ICMP types a raw socket does not receive. */
    int ICMP_FILTER = 1;

    /** {@code IPV6_UNICAST_HOPS}: the hop limit of sent packets; -1 restores the route's default. */
    int IPV6_UNICAST_HOPS = 16;
    /** {@code IPV6_RECVERR}: ICMPv6 errors for the socket are queued on its error queue. */
    int IPV6_RECVERR = 25;
    /** {@code IPV6_RECVHOPLIMIT}: a received packet's hop limit arrives as an {@code IPV6_HOPLIMIT} control message. */
    int IPV6_RECVHOPLIMIT = 51;
    /** {@code IPV6_HOPLIMIT}: the control message type carrying a received hop limit. */
    int IPV6_HOPLIMIT = 52;
    /** {@code ICMP6_FILTER} (level {@code IPPROTO_ICMPV6}): a bit set of ICMPv6 types a raw socket does not receive. */
    int ICMP6_FILTER = 1;

    /** {@code MSG_CTRUNC}: control data was cut. */
    int MSG_CTRUNC = 0x8;
    /** {@code MSG_TRUNC}: the datagram was longer than the buffer. */
    int MSG_TRUNC = 0x20;
    /** {@code MSG_DONTWAIT}: fail with {@code EAGAIN} instead of blocking. */
    int MSG_DONTWAIT = 0x40;
    /** {@code MSG_ERRQUEUE}: read the socket's error queue. */
    int MSG_ERRQUEUE = 0x2000;

    /** {@code POLLIN}. */
    short POLLIN = 0x1;
    /** {@code POLLERR}. */
    short POLLERR = 0x8;
    /** {@code POLLNVAL}. */
    short POLLNVAL = 0x20;

    /** {@code SO_EE_ORIGIN_LOCAL}: an error the local stack raised (message too long). */
    int SO_EE_ORIGIN_LOCAL = 1;
    /** {@code SO_EE_ORIGIN_ICMP}: an ICMP error arrived. */
    int SO_EE_ORIGIN_ICMP = 2;
    /** {@code SO_EE_ORIGIN_ICMP6}: an ICMPv6 error arrived. */
    int SO_EE_ORIGIN_ICMP6 = 3;

    /** {@code EPERM}. */
    int EPERM = 1;
    /** {@code EINTR}. */
    int EINTR = 4;
    /** {@code EAGAIN}. */
    int EAGAIN = 11;
    /** {@code EACCES}. */
    int EACCES = 13;
    /** {@code EMSGSIZE}. */
    int EMSGSIZE = 90;
    /** {@code EADDRNOTAVAIL}. */
    int EADDRNOTAVAIL = 99;
    /** {@code EPROTONOSUPPORT}. */
    int EPROTONOSUPPORT = 93;
    /** {@code ESOCKTNOSUPPORT}. */
    int ESOCKTNOSUPPORT = 94;
    /** {@code EAFNOSUPPORT}. */
    int EAFNOSUPPORT = 97;

    /** {@code socket(2)}: a new socket's file descriptor. */
    int socket(int domain, int type, int protocol) throws LastErrorException;

    /** {@code setsockopt(2)} with an integer (or integer array) value of {@code length} bytes. */
    int setsockopt(int fd, int level, int name, int[] value, int length) throws LastErrorException;

    /** {@code bind(2)} to the {@code sockaddr} in {@code address}. */
    int bind(int fd, byte[] address, int length) throws LastErrorException;

    /** {@code sendto(2)}: the bytes sent. */
    NativeLong sendto(int fd, byte[] buffer, NativeLong length, int flags, byte[] address, int addressLength)
            throws LastErrorException;

    /** {@code recvmsg(2)} into the {@code struct msghdr} at {@code message}: the bytes received. */
    NativeLong recvmsg(int fd, Pointer message, int flags) throws LastErrorException;

    /** {@code poll(2)} on the {@code struct pollfd} array at {@code fds}: how many are ready, 0 on timeout. */
    int poll(Pointer fds, NativeLong count, int timeoutMillis) throws LastErrorException;

    /** {@code close(2)}. */
    int close(int fd) throws LastErrorException;

    /** {@code strerror(3)}: the system's text for {@code errno}. */
    String strerror(int errno);
}
