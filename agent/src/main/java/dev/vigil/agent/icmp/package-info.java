/**
 * ICMP echo (ping) without forking {@code ping}: a small JNA binding to the C library
 * ({@link dev.vigil.agent.icmp.LibC}) and one long-lived owner of the agent's ICMP sockets
 * ({@link dev.vigil.agent.icmp.IcmpSockets}).
 *
 * <p><b>Privilege.</b> Each family's socket is an unprivileged ping socket
 * ({@code SOCK_DGRAM}/{@code IPPROTO_ICMP}, allowed by {@code net.ipv4.ping_group_range}) when the
 * kernel permits one, else a raw socket (needs {@code CAP_NET_RAW}); when neither is permitted a
 * request fails as {@code NOT_PERMITTED} with a detail naming both fixes.
 *
 * <p><b>Threads.</b> No system call runs on a Netty event loop. One sender thread sends every
 * request (and opens sockets on first use); one receiver thread per socket waits in {@code poll}
 * with a 200 ms timeout, so it notices a close. A request is registered under its sequence number
 * before it is sent; the receiver matches a reply by identifier (a raw socket sees every ICMP
 * message the host receives, other programs' too), sequence and echoed payload, and an ICMP error
 * by the request it quotes. Listeners are called on those threads and hop to their own.
 *
 * <p><b>Timing.</b> The round trip runs from {@link java.lang.System#nanoTime()} just before
 * {@code sendto} to just after {@code recvmsg} returns the reply, so it includes a few microseconds
 * of JNA and scheduling on this host besides the network.
 */
package dev.vigil.agent.icmp;
