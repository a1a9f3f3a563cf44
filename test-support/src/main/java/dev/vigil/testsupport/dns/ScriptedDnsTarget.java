package dev.vigil.testsupport.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A DNS server for testing DNS probes: UDP and TCP on the same port of 127.0.0.1, replying to each
 * (name, type) as scripted with {@link #on}: records of any type, any response code, or on purpose
 * badly (no reply, a wrong id, the TC bit, a message cut short, a different question, bytes that are
 * not DNS, a delay). Names it has no script for get NXDOMAIN. Names in responses are compressed, as
 * real servers do. It records every query it receives.
 */
public final class ScriptedDnsTarget implements AutoCloseable {
    private static final int BIND_ATTEMPTS = 20;

    /**
     * A query as it arrived.
     *
     * @param transport        {@code udp} or {@code tcp}
     * @param id               the query's id
     * @param name             the name asked about, lower-case without the final dot
     * @param type             the type asked for
     * @param recursionDesired whether the RD bit was set
     */
    public record Query(String transport, int id, String name, DnsRecordType type, boolean recursionDesired) {
    }

    private record Key(String name, DnsRecordType type) {
    }

    private final Map<Key, ScriptedReply> replies = new ConcurrentHashMap<>();
    private final List<Query> queries = new CopyOnWriteArrayList<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel udp;
    private final Channel tcp;

    private ScriptedDnsTarget() {
        Channel boundUdp = null;
        Channel boundTcp = null;
        // The TCP port must be the UDP one; another process may hold it, so try a few ephemeral ports.
        for (int attempt = 0; attempt < BIND_ATTEMPTS && boundTcp == null; attempt++) {
            boundUdp = bindUdp();
            ChannelFuture tcpBinding = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel channel) {
                            channel.pipeline().addLast(new TcpDnsQueryDecoder(), new Responder(true));
                        }
                    })
                    .bind(((InetSocketAddress) boundUdp.localAddress()))
                    .awaitUninterruptibly();
            if (tcpBinding.isSuccess()) {
                boundTcp = tcpBinding.channel();
            } else {
                boundUdp.close().syncUninterruptibly();
            }
        }
        if (boundTcp == null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            throw new IllegalStateException("no loopback port free for both UDP and TCP");
        }
        udp = boundUdp;
        tcp = boundTcp;
    }

    /** Starts a server on an ephemeral port, UDP and TCP, that has no scripts yet. */
    public static ScriptedDnsTarget start() {
        return new ScriptedDnsTarget();
    }

    /** Replies to queries for {@code type} records of {@code name} with {@code reply}; returns this server. */
    public ScriptedDnsTarget on(String name, DnsRecordType type, ScriptedReply reply) {
        replies.put(new Key(normalise(name), type), reply);
        return this;
    }

    /** The address to send queries to, UDP or TCP. */
    public InetSocketAddress address() {
        return (InetSocketAddress) udp.localAddress();
    }

    /** The port, the same for UDP and TCP. */
    public int port() {
        return address().getPort();
    }

    /** The queries received so far, in arrival order. */
    public List<Query> queries() {
        return List.copyOf(queries);
    }

    @Override
    public void close() {
        udp.close().syncUninterruptibly();
        tcp.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Channel bindUdp() {
        return new Bootstrap()
                .group(group)
                .channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new DatagramDnsQueryDecoder(), new Responder(false));
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .syncUninterruptibly()
                .channel();
    }

    private static String normalise(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") && lower.length() > 1 ? lower.substring(0, lower.length() - 1) : lower;
    }

    /** Replies to each query as scripted; one per channel. */
    private final class Responder extends SimpleChannelInboundHandler<DnsQuery> {
        private final boolean overTcp;

        Responder(boolean overTcp) {
            this.overTcp = overTcp;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DnsQuery query) {
            DnsQuestion question = query.recordAt(DnsSection.QUESTION);
            if (question == null) {
                return;
            }
            String name = normalise(question.name());
            queries.add(new Query(overTcp ? "tcp" : "udp", query.id(), name, question.type(),
                    query.isRecursionDesired()));
            ScriptedReply reply = replies.getOrDefault(new Key(name, question.type()),
                    ScriptedReply.rcode(DnsResponseCode.NXDOMAIN));
            InetSocketAddress client = query instanceof DatagramDnsQuery datagram ? datagram.sender() : null;
            int id = query.id();
            boolean recursionDesired = query.isRecursionDesired();
            String questionName = question.name();
            int questionType = question.type().intValue();
            int questionClass = question.dnsClass();
            Runnable send = () -> {
                switch (reply.kind) {
                    case SILENCE -> {
                    }
                    case HANG_UP -> {
                        if (overTcp) {
                            ctx.close();
                        }
                    }
                    case GARBAGE -> send(ctx, client, ctx.alloc().buffer().writeBytes(reply.garbage));
                    case MESSAGE -> {
                        if (reply.id != ScriptedReply.Id.RIGHT) {
                            send(ctx, client, message(ctx.alloc(), (id + 1) & 0xffff, recursionDesired, questionName,
                                    questionType, questionClass, reply));
                        }
                        if (reply.id != ScriptedReply.Id.WRONG) {
                            send(ctx, client, message(ctx.alloc(), id, recursionDesired, questionName, questionType,
                                    questionClass, reply));
                        }
                    }
                }
            };
            if (reply.delay.isZero()) {
                send.run();
            } else {
                ctx.executor().schedule(send, reply.delay.toNanos(), TimeUnit.NANOSECONDS);
            }
        }

        private void send(ChannelHandlerContext ctx, InetSocketAddress client, ByteBuf message) {
            if (client != null) {
                ctx.writeAndFlush(new DatagramPacket(message, client));
                return;
            }
            ByteBuf framed = ctx.alloc().buffer(message.readableBytes() + 2);
            framed.writeShort(message.readableBytes()).writeBytes(message);
            message.release();
            ctx.writeAndFlush(framed);
        }

        private ByteBuf message(ByteBufAllocator alloc, int id, boolean recursionDesired, String questionName,
                int questionType, int questionClass, ScriptedReply reply) {
            ByteBuf out = alloc.buffer();
            DnsMessageWriter writer = new DnsMessageWriter(out.writerIndex());
            out.writeShort(id);
            int flags = 0x8000 | 0x0080 | (reply.truncated ? 0x0200 : 0) | (recursionDesired ? 0x0100 : 0)
                    | (reply.rcode & 0x0f);
            out.writeShort(flags);
            out.writeShort(reply.omitQuestion ? 0 : 1);
            for (List<ScriptedRecord> section : reply.sections()) {
                out.writeShort(section.size());
            }
            if (!reply.omitQuestion) {
                writer.writeName(reply.questionName != null ? reply.questionName : questionName, out);
                out.writeShort(reply.questionType != null ? reply.questionType.intValue() : questionType);
                out.writeShort(questionClass);
            }
            for (List<ScriptedRecord> section : reply.sections()) {
                for (ScriptedRecord record : section) {
                    record.write(writer, out);
                }
            }
            out.writerIndex(out.writerIndex() - reply.cutBytes);
            return out;
        }
    }
}
