package dev.vigil.testsupport.target;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Answers the first bytes a client sends with one fixed reply, ignores the rest, and either closes the
 * connection after the reply or keeps it open. Not sharable: one instance per channel.
 */
final class OneReplyHandler extends ChannelInboundHandlerAdapter {
    private final byte[] reply;
    private final boolean closeAfterReply;
    private boolean answered;

    OneReplyHandler(byte[] reply, boolean closeAfterReply) {
        this.reply = reply;
        this.closeAfterReply = closeAfterReply;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
        if (answered) {
            return;
        }
        answered = true;
        ChannelFuture written = ctx.writeAndFlush(Unpooled.wrappedBuffer(reply));
        if (closeAfterReply) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
