package dev.vigil.testsupport.target;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A Netty TCP server bound to an ephemeral port of 127.0.0.1 with its own single event loop; the
 * child handler decides how it behaves. The building block of the misbehaving targets here.
 */
public final class LoopbackServer implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel channel;

    private LoopbackServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /** Starts a server on an ephemeral port whose accepted connections get {@code childHandler}. */
    public static LoopbackServer start(ChannelHandler childHandler) {
        return start(0, childHandler);
    }

    /** Starts a server on {@code port} of 127.0.0.1 (0 = ephemeral) whose connections get {@code childHandler}. */
    public static LoopbackServer start(int port, ChannelHandler childHandler) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel channel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childHandler(childHandler)
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                    .syncUninterruptibly()
                    .channel();
            return new LoopbackServer(group, channel);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /** The port this server listens on. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Stops listening and closes every accepted connection. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
