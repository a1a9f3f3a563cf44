package dev.vigil.testsupport.target;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;

/**
 * An HTTP server on 127.0.0.1 that answers every request with one canned response, written byte by
 * byte as given: any status and version, repeated or odd headers, a body framed by
 * {@code Content-Length}, by chunks or by closing the connection, gzip-compressed if asked. The
 * server for JSON bodies, header variants and framing corner cases. It closes the connection after
 * each response and records the requests.
 */
public final class CannedHttpServer implements AutoCloseable {

    /** How the body's end is marked. */
    public enum Framing {
        /** {@code Content-Length}. */
        LENGTH,
        /** {@code Transfer-Encoding: chunked}. */
        CHUNKED,
        /** Neither: the body ends when the server closes the connection. */
        CLOSE
    }

    /**
     * A canned response.
     *
     * @param version the status line's version, e.g. {@code HTTP/1.1}
     * @param status  the status code
     * @param headers header lines in order, names as given
     * @param body    the body before any compression
     * @param framing how the body's end is marked
     * @param gzip    whether the body is sent gzip-compressed with {@code Content-Encoding: gzip}
     * @param interim 1xx statuses sent (each as a bare head) before the response, e.g. 103 Early Hints
     */
    public record Response(String version, int status, List<Map.Entry<String, String>> headers, byte[] body,
            Framing framing, boolean gzip, List<Integer> interim) {

        /** Copies the lists. */
        public Response {
            headers = List.copyOf(headers);
            interim = List.copyOf(interim);
        }

        /** An HTTP/1.1 response with {@code status}, no headers, no body, framed by {@code Content-Length}. */
        public static Response of(int status) {
            return new Response("HTTP/1.1", status, List.of(), new byte[0], Framing.LENGTH, false, List.of());
        }

        /** A 200 with a JSON body. */
        public static Response json(String json) {
            return of(200).header("Content-Type", "application/json").body(json);
        }

        /** This response with one more header line. */
        public Response header(String name, String value) {
            List<Map.Entry<String, String>> more = new ArrayList<>(headers);
            more.add(Map.entry(name, value));
            return new Response(version, status, more, body, framing, gzip, interim);
        }

        /** This response with {@code text} (UTF-8) as its body. */
        public Response body(String text) {
            return body(text.getBytes(StandardCharsets.UTF_8));
        }

        /** This response with {@code bytes} as its body. */
        public Response body(byte[] bytes) {
            return new Response(version, status, headers, bytes.clone(), framing, gzip, interim);
        }

        /** This response framed by {@code framing}. */
        public Response framed(Framing bodyFraming) {
            return new Response(version, status, headers, body, bodyFraming, gzip, interim);
        }

        /** This response with its body gzip-compressed. */
        public Response gzipped() {
            return new Response(version, status, headers, body, framing, true, interim);
        }

        /** This response preceded by an interim response with {@code interimStatus} (100..199). */
        public Response after(int interimStatus) {
            List<Integer> more = new ArrayList<>(interim);
            more.add(interimStatus);
            return new Response(version, status, headers, body, framing, gzip, more);
        }

        /** This response with {@code statusLineVersion} (e.g. {@code HTTP/1.0}) in its status line. */
        public Response version(String statusLineVersion) {
            return new Response(statusLineVersion, status, headers, body, framing, gzip, interim);
        }
    }

    private final List<RecordedHttpRequest> requests = new CopyOnWriteArrayList<>();
    private final LoopbackServer server;

    private CannedHttpServer(Response response) {
        byte[] wire = encode(response);
        byte[] headOnly = encode(response.body(new byte[0]).framed(Framing.LENGTH));
        this.server = LoopbackServer.start(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast(new HttpRequestDecoder(), new HttpObjectAggregator(1 << 20),
                        new SimpleChannelInboundHandler<FullHttpRequest>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
                                requests.add(RecordedHttpRequest.of(request));
                                byte[] reply = request.method().name().equals("HEAD") ? headOnly : wire;
                                ctx.writeAndFlush(Unpooled.wrappedBuffer(reply)).addListener(ChannelFutureListener.CLOSE);
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close();
                            }
                        });
            }
        });
    }

    /** Starts a server answering every request with {@code response}. */
    public static CannedHttpServer start(Response response) {
        return new CannedHttpServer(response);
    }

    /** The URL of {@code path} on this server at 127.0.0.1. */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** Every request received so far, in arrival order. */
    public List<RecordedHttpRequest> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.close();
    }

    private static byte[] encode(Response response) {
        byte[] body = response.gzip() ? gzip(response.body()) : response.body();
        StringBuilder head = new StringBuilder();
        for (int interimStatus : response.interim()) {
            head.append("HTTP/1.1 ").append(interimStatus).append(' ')
                    .append(HttpResponseStatus.valueOf(interimStatus).reasonPhrase()).append("\r\n\r\n");
        }
        head.append(response.version()).append(' ').append(response.status()).append(' ')
                .append(HttpResponseStatus.valueOf(response.status()).reasonPhrase()).append("\r\n");
        for (Map.Entry<String, String> header : response.headers()) {
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        if (response.gzip()) {
            head.append("Content-Encoding: gzip\r\n");
        }
        switch (response.framing()) {
            case LENGTH -> head.append("Content-Length: ").append(body.length).append("\r\n");
            case CHUNKED -> head.append("Transfer-Encoding: chunked\r\n");
            case CLOSE -> { }
        }
        head.append("Connection: close\r\n\r\n");
        ByteBuf out = Unpooled.buffer();
        try {
            out.writeCharSequence(head, StandardCharsets.US_ASCII);
            if (response.framing() == Framing.CHUNKED) {
                for (int offset = 0; offset < body.length; offset += 8192) {
                    int length = Math.min(8192, body.length - offset);
                    out.writeCharSequence(Integer.toHexString(length) + "\r\n", StandardCharsets.US_ASCII);
                    out.writeBytes(body, offset, length);
                    out.writeCharSequence("\r\n", StandardCharsets.US_ASCII);
                }
                out.writeCharSequence("0\r\n\r\n", StandardCharsets.US_ASCII);
            } else {
                out.writeBytes(body);
            }
            byte[] wire = new byte[out.readableBytes()];
            out.readBytes(wire);
            return wire;
        } finally {
            out.release();
        }
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return compressed.toByteArray();
    }
}
