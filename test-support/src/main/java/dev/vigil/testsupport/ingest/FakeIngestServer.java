package dev.vigil.testsupport.ingest;

import dev.vigil.protocol.Ack;
import dev.vigil.protocol.AckCodec;
import dev.vigil.protocol.BatchCodec;
import dev.vigil.protocol.ProtocolException;
import dev.vigil.protocol.SampleRecord;
import dev.vigil.testsupport.target.LoopbackServer;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A stand-in for the collector's {@code POST /api/v1/ingest} on 127.0.0.1: checks the bearer token,
 * decodes batches with {@link BatchCodec}, keeps each journal index once, and acks the highest index
 * it holds. It records every record it received, duplicates included, and can be told to answer the
 * next requests with an error status or to drop their connections without answering.
 */
public final class FakeIngestServer implements AutoCloseable {
    /** The path the agent posts batches to. */
    public static final String PATH = "/api/v1/ingest";
    private static final int MAX_BODY_BYTES = 64 << 20;

    private enum Fault { STATUS, DROP }

    private record ScriptedFault(Fault fault, int status) {
    }

    private final String token;
    private final LoopbackServer server;
    private final NavigableMap<Long, SampleRecord> held = new TreeMap<>();
    private final List<SampleRecord> received = new ArrayList<>();
    private final Deque<ScriptedFault> faults = new ArrayDeque<>();
    private int requests;
    private int unauthorized;

    private FakeIngestServer(String token, int port) {
        this.token = token;
        this.server = LoopbackServer.start(port, new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY_BYTES), new Ingest());
            }
        });
    }

    /** Starts a fake ingest on an ephemeral port that accepts {@code Authorization: Bearer <token>}. */
    public static FakeIngestServer start(String token) {
        return new FakeIngestServer(token, 0);
    }

    /** Starts a fake ingest on {@code port} of 127.0.0.1, e.g. a port an agent already tried in vain. */
    public static FakeIngestServer start(String token, int port) {
        return new FakeIngestServer(token, port);
    }

    /** Answers the next {@code count} ingest requests with {@code status} and a JSON error body. */
    public synchronized void failNext(int count, int status) {
        for (int i = 0; i < count; i++) {
            faults.add(new ScriptedFault(Fault.STATUS, status));
        }
    }

    /** Closes the connection of the next {@code count} ingest requests without answering them. */
    public synchronized void dropNext(int count) {
        for (int i = 0; i < count; i++) {
            faults.add(new ScriptedFault(Fault.DROP, 0));
        }
    }

    /** Every record received in accepted batches, in arrival order, duplicates included. */
    public synchronized List<SampleRecord> received() {
        return List.copyOf(received);
    }

    /** The records held, one per journal index, in index order. */
    public synchronized List<SampleRecord> held() {
        return List.copyOf(held.values());
    }

    /** How many records arrived that were already held. */
    public synchronized int duplicates() {
        return received.size() - held.size();
    }

    /** How many ingest requests arrived, whatever the answer. */
    public synchronized int requests() {
        return requests;
    }

    /** How many requests were refused for a missing or wrong token. */
    public synchronized int unauthorized() {
        return unauthorized;
    }

    /** The port this server listens on. */
    public int port() {
        return server.port();
    }

    /** The base URL to configure as the agent's {@code collector.url}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port());
    }

    @Override
    public void close() {
        server.close();
    }

    private synchronized Reply handle(FullHttpRequest request) {
        requests++;
        ScriptedFault fault = faults.poll();
        if (fault != null) {
            return fault.fault() == Fault.DROP ? null
                    : Reply.error(HttpResponseStatus.valueOf(fault.status()), "scripted failure");
        }
        if (!request.method().equals(HttpMethod.POST) || !request.uri().equals(PATH)) {
            return Reply.error(HttpResponseStatus.NOT_FOUND, "no route for " + request.method() + " " + request.uri());
        }
        if (!("Bearer " + token).equals(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            unauthorized++;
            return Reply.error(HttpResponseStatus.UNAUTHORIZED, "missing or invalid agent token");
        }
        String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        if (!contentType.startsWith(BatchCodec.MEDIA_TYPE)) {
            return Reply.error(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                    "content type must be " + BatchCodec.MEDIA_TYPE + " (was " + contentType + ")");
        }
        List<SampleRecord> batch;
        try {
            batch = BatchCodec.decode(ByteBufUtil.getBytes(request.content()));
        } catch (ProtocolException e) {
            return Reply.error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        }
        int accepted = 0;
        for (SampleRecord record : batch) {
            received.add(record);
            if (held.putIfAbsent(record.journalIndex(), record) == null) {
                accepted++;
            }
        }
        long ackedIndex = held.isEmpty() ? -1 : held.lastKey();
        return new Reply(HttpResponseStatus.OK, AckCodec.MEDIA_TYPE,
                AckCodec.encode(new Ack(ackedIndex, accepted, batch.size() - accepted)));
    }

    private record Reply(HttpResponseStatus status, String contentType, byte[] body) {
        static Reply error(HttpResponseStatus status, String message) {
            String json = "{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
            return new Reply(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final class Ingest extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            Reply reply = handle(request);
            if (reply == null) {
                ctx.close();
                return;
            }
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, reply.status(),
                    Unpooled.wrappedBuffer(reply.body()));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
            HttpUtil.setContentLength(response, reply.body().length);
            HttpUtil.setKeepAlive(response, HttpUtil.isKeepAlive(request));
            ctx.writeAndFlush(response);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
