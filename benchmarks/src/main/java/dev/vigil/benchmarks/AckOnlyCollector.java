package dev.vigil.benchmarks;

import dev.vigil.protocol.Ack;
import dev.vigil.protocol.AckCodec;
import dev.vigil.protocol.Batch;
import dev.vigil.protocol.BatchCodec;
import dev.vigil.protocol.SampleRecord;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline benchmark's baseline peer: a Vert.x server that decodes each batch and acknowledges
 * its highest index, with no journal, no dedup, no state. The gap between it and the real collector
 * is what durability and the SLA state cost per sample.
 */
final class AckOnlyCollector implements AutoCloseable {
    private final Vertx vertx;
    private final HttpServer server;

    private AckOnlyCollector(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    static AckOnlyCollector start() throws Exception {
        Vertx vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setDecompressionSupported(true))
                .requestHandler(request -> request.body().onSuccess(body -> {
                    Batch batch = BatchCodec.decode(body.getBytes());
                    List<SampleRecord> records = batch.records();
                    long last = records.isEmpty() ? -1 : records.get(records.size() - 1).journalIndex();
                    long lastGap = batch.gaps().isEmpty() ? -1 : batch.gaps().get(batch.gaps().size() - 1).sequence();
                    request.response()
                            .putHeader("Content-Type", AckCodec.MEDIA_TYPE)
                            .end(Buffer.buffer(AckCodec.encode(new Ack(batch.epoch(), last, lastGap, records.size(), 0,
                                    List.of()))));
                }))
                .listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return new AckOnlyCollector(vertx, server);
    }

    int port() {
        return server.actualPort();
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
