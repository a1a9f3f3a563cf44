package dev.vigil.collector.incident.delivery;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * The one HTTP client of every sink, with the egress guard built in: the URL's host name is resolved
 * once, each address is checked against the {@link EgressPolicy}, and the connection goes to the
 * checked address (the name still in {@code Host} and TLS SNI), so a DNS answer cannot change between
 * the check and the connect. Redirects are never followed: a 3xx is the tool's answer. Responses are
 * read up to {@link #MAX_RESPONSE_BYTES}; the whole exchange has the request's timeout.
 *
 * <p>Failures are failed futures: {@link EgressDeniedException} for a blocked address,
 * {@link TimeoutException} for the deadline, the connection's exception otherwise.
 */
public final class SinkHttp implements AutoCloseable {
    /** The most of a response body kept; the rest is read and dropped. */
    public static final int MAX_RESPONSE_BYTES = 64 * 1024;

    private final Vertx vertx;
    private final EgressPolicy policy;
    private final HttpClient client;

    /** A client on {@code vertx} that connects only where {@code policy} allows. */
    public SinkHttp(Vertx vertx, EgressPolicy policy) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setVerifyHost(true)
                .setTrustAll(false)
                .setKeepAlive(true)
                .setMaxRedirects(0));
    }

    /** Makes {@code request} once. */
    public Future<SinkResponse> send(SinkRequest request) {
        URI url = request.url();
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            return Future.failedFuture(new IllegalArgumentException("not an absolute http(s) URL: " + redacted(url)));
        }
        boolean tls = scheme.equals("https");
        int port = url.getPort() >= 0 ? url.getPort() : tls ? 443 : 80;
        String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1) : url.getHost();
        long deadline = System.nanoTime() + request.timeout().toNanos();
        return vertx.<InetAddress[]>executeBlocking(() -> InetAddress.getAllByName(host), false)
                .recover(failure -> Future.failedFuture(failure instanceof UnknownHostException
                        ? new UnknownHostException("cannot resolve " + host) : failure))
                .compose(addresses -> {
                    List<String> refusals = new ArrayList<>();
                    for (InetAddress address : addresses) {
                        Optional<String> refusal = policy.denies(address);
                        if (refusal.isEmpty()) {
                            long remainingMillis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                            return exchange(request, address, host, port, tls, remainingMillis);
                        }
                        refusals.add(refusal.get());
                    }
                    return Future.failedFuture(new EgressDeniedException(host + ": " + String.join("; ", refusals)));
                });
    }

    private Future<SinkResponse> exchange(SinkRequest request, InetAddress address, String host, int port,
            boolean tls, long timeoutMillis) {
        URI url = request.url();
        String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setHost(host)
                .setPort(port)
                .setSsl(tls)
                .setURI(path)
                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                .setFollowRedirects(false)
                .setConnectTimeout(timeoutMillis);
        request.headers().forEach(options::putHeader);
        options.putHeader("User-Agent", "vigil-collector");
        Promise<SinkResponse> result = Promise.promise();
        long timer = vertx.setTimer(timeoutMillis, id -> result.tryFail(
                new TimeoutException("no answer within " + request.timeout().toMillis() + " ms")));
        client.request(options).compose(clientRequest -> {
            result.future().onFailure(failure -> clientRequest.reset());
            return request.body().map(clientRequest::send).orElseGet(clientRequest::send);
        }).compose(SinkHttp::readCapped).onComplete(done -> {
            vertx.cancelTimer(timer);
            if (done.succeeded()) {
                result.tryComplete(done.result());
            } else {
                result.tryFail(done.cause());
            }
        });
        return result.future();
    }

    private static Future<SinkResponse> readCapped(HttpClientResponse response) {
        Promise<SinkResponse> read = Promise.promise();
        Buffer body = Buffer.buffer();
        MultiMap headers = response.headers();
        response.handler(chunk -> {
            int room = MAX_RESPONSE_BYTES - body.length();
            if (room > 0) {
                body.appendBuffer(chunk.length() <= room ? chunk : chunk.getBuffer(0, room));
            }
        });
        response.exceptionHandler(read::tryFail);
        response.endHandler(end -> read.tryComplete(new SinkResponse(response.statusCode(), headers, body)));
        return read.future();
    }

    /** The URL without its user info, query and fragment, which may hold secrets: for messages. */
    public static String redacted(URI url) {
        String host = url.getHost() == null ? "?" : url.getHost();
        return (url.getScheme() == null ? "" : url.getScheme() + "://") + host
                + (url.getPort() >= 0 ? ":" + url.getPort() : "") + "/…";
    }

    /** Closes the connections. */
    @Override
    public void close() {
        client.close();
    }
}
