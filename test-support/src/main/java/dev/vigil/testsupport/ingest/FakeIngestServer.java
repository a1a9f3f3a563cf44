package dev.vigil.testsupport.ingest;

import dev.vigil.protocol.Ack;
import dev.vigil.protocol.AckCodec;
import dev.vigil.protocol.Batch;
import dev.vigil.protocol.BatchCodec;
import dev.vigil.protocol.Gap;
import dev.vigil.protocol.InvalidRecord;
import dev.vigil.protocol.ProtocolException;
import dev.vigil.protocol.Rejection;
import dev.vigil.protocol.RejectionReason;
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
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

/**
 * A stand-in for the collector's {@code POST /api/v1/ingest} (protocol v2) on 127.0.0.1: checks the
 * bearer token, decodes batches with {@link BatchCodec} (gzip bodies too), keeps each (epoch, journal
 * index) and each (epoch, gap sequence) once, and acks cumulatively: the highest index and gap of the
 * batch's epoch it has settled. It records every record it received, duplicates included, and can be
 * told to misbehave: answer the next requests with an error status (and {@code Retry-After}), drop
 * their connections, refuse batches holding a given index as malformed (400), refuse batches larger
 * than a size (413), or refuse given indexes for good (rejections in the ack).
 */
public final class FakeIngestServer implements AutoCloseable {
    /** The path the agent posts batches to. */
    public static final String PATH = "/api/v1/ingest";
    private static final int MAX_BODY_BYTES = 64 << 20;

    private enum Fault { STATUS, DROP }

    private record ScriptedFault(Fault fault, int status, Duration retryAfter) {
    }

    private final String token;
    private final LoopbackServer server;
    private final Map<Long, NavigableMap<Long, SampleRecord>> held = new HashMap<>();
    private final Map<Long, NavigableMap<Long, Gap>> gaps = new HashMap<>();
    private final Map<Long, Long> settled = new HashMap<>();
    private final List<SampleRecord> received = new ArrayList<>();
    private final List<Integer> batchSizes = new ArrayList<>();
    private final Set<UUID> instances = new LinkedHashSet<>();
    private final Set<Long> epochs = new LinkedHashSet<>();
    private final Deque<ScriptedFault> faults = new ArrayDeque<>();
    private final Set<Long> malformed = new HashSet<>();
    private final Map<Long, RejectionReason> refused = new HashMap<>();
    private int maxRecords = Integer.MAX_VALUE;
    private boolean readsGzip = true;
    private int requests;
    private int unauthorized;
    private int gzipped;

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
        failNext(count, status, null);
    }

    /** Answers the next {@code count} requests with {@code status} and {@code Retry-After: <seconds>}. */
    public synchronized void failNext(int count, int status, Duration retryAfter) {
        for (int i = 0; i < count; i++) {
            faults.add(new ScriptedFault(Fault.STATUS, status, retryAfter));
        }
    }

    /** Closes the connection of the next {@code count} ingest requests without answering them. */
    public synchronized void dropNext(int count) {
        for (int i = 0; i < count; i++) {
            faults.add(new ScriptedFault(Fault.DROP, 0, null));
        }
    }

    /** Answers 400 to every batch that holds a record with journal index {@code index}, as if it could not read it. */
    public synchronized void refuseAsMalformed(long index) {
        malformed.add(index);
    }

    /** Stops decompressing gzip bodies, as a collector without decompression: they fail to decode (400). */
    public synchronized void ignoreContentEncoding() {
        readsGzip = false;
    }

    /** Answers 413 to every batch of more than {@code records} records. */
    public synchronized void limitRecords(int records) {
        maxRecords = records;
    }

    /** Refuses the record with journal index {@code index} for good: listed in the ack's rejections, not held. */
    public synchronized void reject(long index, RejectionReason reason) {
        refused.put(index, reason);
    }

    /** Every record received in accepted batches, in arrival order, duplicates included. */
    public synchronized List<SampleRecord> received() {
        return List.copyOf(received);
    }

    /** The records held, one per (epoch, journal index), by epoch in arrival order, then index order. */
    public synchronized List<SampleRecord> held() {
        List<SampleRecord> all = new ArrayList<>();
        for (long epoch : epochs) {
            all.addAll(held.getOrDefault(epoch, new TreeMap<>()).values());
        }
        return List.copyOf(all);
    }

    /** The records held for journal epoch {@code epoch}, in index order. */
    public synchronized List<SampleRecord> held(long epoch) {
        return List.copyOf(held.getOrDefault(epoch, new TreeMap<>()).values());
    }

    /** The gaps held, one per (epoch, sequence), by epoch in arrival order, then sequence order. */
    public synchronized List<Gap> gaps() {
        List<Gap> all = new ArrayList<>();
        for (long epoch : epochs) {
            all.addAll(gaps.getOrDefault(epoch, new TreeMap<>()).values());
        }
        return List.copyOf(all);
    }

    /** The epochs batches came with, in order of first arrival. */
    public synchronized List<Long> epochs() {
        return List.copyOf(epochs);
    }

    /** The instance ids batches came with, in order of first arrival. */
    public synchronized List<UUID> instances() {
        return List.copyOf(instances);
    }

    /** How many records arrived that were already held. */
    public synchronized int duplicates() {
        int held = 0;
        for (NavigableMap<Long, SampleRecord> records : this.held.values()) {
            held += records.size();
        }
        return received.size() - held;
    }

    /** How many ingest requests arrived, whatever the answer. */
    public synchronized int requests() {
        return requests;
    }

    /** The number of records of every decoded batch, in arrival order, whatever the answer. */
    public synchronized List<Integer> batchSizes() {
        return List.copyOf(batchSizes);
    }

    /** How many requests came gzip-compressed. */
    public synchronized int gzipped() {
        return gzipped;
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
            if (fault.fault() == Fault.DROP) {
                return null;
            }
            Reply reply = Reply.error(HttpResponseStatus.valueOf(fault.status()), "scripted failure");
            return fault.retryAfter() == null ? reply : reply.retryAfter(fault.retryAfter());
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
        byte[] body = ByteBufUtil.getBytes(request.content());
        if (readsGzip && "gzip".equalsIgnoreCase(request.headers().get(HttpHeaderNames.CONTENT_ENCODING, ""))) {
            gzipped++;
            try {
                body = gunzip(body);
            } catch (IOException e) {
                return Reply.error(HttpResponseStatus.BAD_REQUEST, "body is not valid gzip: " + e.getMessage());
            }
        }
        Batch batch;
        try {
            batch = BatchCodec.decode(body);
        } catch (ProtocolException e) {
            return Reply.error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        }
        batchSizes.add(batch.records().size());
        if (batch.records().size() > maxRecords) {
            return Reply.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "a batch may hold at most " + maxRecords + " records");
        }
        for (SampleRecord record : batch.records()) {
            if (malformed.contains(record.journalIndex())) {
                return Reply.error(HttpResponseStatus.BAD_REQUEST, "record " + record.journalIndex() + " is malformed");
            }
        }
        return accept(batch);
    }

    private Reply accept(Batch batch) {
        long epoch = batch.epoch();
        epochs.add(epoch);
        instances.add(batch.instance());
        NavigableMap<Long, SampleRecord> records = held.computeIfAbsent(epoch, e -> new TreeMap<>());
        NavigableMap<Long, Gap> epochGaps = gaps.computeIfAbsent(epoch, e -> new TreeMap<>());
        long mark = settled.getOrDefault(epoch, -1L);
        int accepted = 0;
        int duplicates = 0;
        List<Rejection> rejections = new ArrayList<>();
        for (SampleRecord record : batch.records()) {
            mark = Math.max(mark, record.journalIndex());
            RejectionReason reason = refused.get(record.journalIndex());
            if (reason != null) {
                rejections.add(new Rejection(record.journalIndex(), reason, "scripted rejection"));
                continue;
            }
            received.add(record);
            if (records.putIfAbsent(record.journalIndex(), record) == null) {
                accepted++;
            } else {
                duplicates++;
            }
        }
        for (InvalidRecord invalid : batch.invalid()) {
            mark = Math.max(mark, invalid.journalIndex());
            rejections.add(new Rejection(invalid.journalIndex(), RejectionReason.INVALID, invalid.message()));
        }
        for (Gap gap : batch.gaps()) {
            epochGaps.putIfAbsent(gap.sequence(), gap);
        }
        settled.put(epoch, mark);
        long ackedGap = epochGaps.isEmpty() ? -1 : epochGaps.lastKey();
        return new Reply(HttpResponseStatus.OK, AckCodec.MEDIA_TYPE,
                AckCodec.encode(new Ack(epoch, mark, ackedGap, accepted, duplicates, rejections)), null);
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    private record Reply(HttpResponseStatus status, String contentType, byte[] body, Duration retryAfter) {
        static Reply error(HttpResponseStatus status, String message) {
            String json = "{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
            return new Reply(status, "application/json", json.getBytes(StandardCharsets.UTF_8), null);
        }

        Reply retryAfter(Duration wait) {
            return new Reply(status, contentType, body, wait);
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
            if (reply.retryAfter() != null) {
                response.headers().set(HttpHeaderNames.RETRY_AFTER, reply.retryAfter().toSeconds());
            }
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
