package dev.vigil.collector.incident.delivery;

import dev.vigil.collector.config.Secret;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * The one HTTP client of every sink, with the egress guard built in: the URL's host name is resolved
 * once, each address is checked against the {@link EgressPolicy}, and the connection goes to the first
 * allowed address (the name still in {@code Host}, TLS SNI and certificate verification), so a DNS
 * answer cannot change between the check and the connect (DNS rebinding). Redirects are never
 * followed: a 3xx is the tool's answer. Responses are read up to {@link #MAX_RESPONSE_BYTES}; the whole
 * exchange, name resolution included, has the request's timeout.
 *
 * <p>Failures are failed futures: {@link EgressDeniedException} for a blocked address (no connection is
 * made), {@link TimeoutException} for the deadline, {@link IllegalArgumentException} for a URL that is
 * not absolute http(s), the connection's exception otherwise. No message carries the URL's path, query
 * or user info, where chat tools keep their secret: see {@link #redacted(URI)}.
 */
public final class SinkHttp implements AutoCloseable {
    /** The most of a response body kept; a longer response is cut there and its connection closed. */
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

    /** Makes {@code request} once. The future fails as the class comment says; it never hangs past the timeout. */
    public Future<SinkResponse> send(SinkRequest request) {
        URI url = request.url();
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            return Future.failedFuture(new IllegalArgumentException("not an absolute http(s) URL: " + redacted(url)));
        }
        boolean tls = scheme.equals("https");
        int port = url.getPort() >= 0 ? url.getPort() : tls ? 443 : 80;
        String host = url.getHost().startsWith("[")
                ? url.getHost().substring(1, url.getHost().length() - 1)
                : url.getHost();
        long timeoutMillis = request.timeout().toMillis();
        long deadlineNanos = System.nanoTime() + request.timeout().toNanos();
        Promise<SinkResponse> result = Promise.promise();
        long timer = vertx.setTimer(Math.max(1, timeoutMillis), id -> result.tryFail(
                new TimeoutException("no answer from " + redacted(url) + " within " + timeoutMillis + " ms")));
        vertx.<InetAddress[]>executeBlocking(() -> InetAddress.getAllByName(host), false)
                .recover(failure -> Future.failedFuture(failure instanceof UnknownHostException
                        ? new UnknownHostException("cannot resolve " + host) : failure))
                .compose(addresses -> {
                    if (result.future().isComplete()) {
                        return Future.failedFuture("timed out while resolving " + host);
                    }
                    List<String> refusals = new ArrayList<>();
                    for (InetAddress address : addresses) {
                        Optional<String> refusal = policy.denies(address);
                        if (refusal.isEmpty()) {
                            long remainingMillis = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
                            return exchange(request, result, address, host, port, tls, remainingMillis);
                        }
                        refusals.add(refusal.get());
                    }
                    return Future.failedFuture(new EgressDeniedException(host + ": " + String.join("; ", refusals)));
                })
                .onComplete(done -> {
                    vertx.cancelTimer(timer);
                    if (done.succeeded()) {
                        result.tryComplete(done.result());
                    } else {
                        result.tryFail(done.cause());
                    }
                });
        return result.future();
    }

    private Future<SinkResponse> exchange(SinkRequest request, Promise<SinkResponse> result, InetAddress address,
            String host, int port, boolean tls, long timeoutMillis) {
        URI url = request.url();
        String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setHost(host)
                .setPort(port)
                .setSsl(tls)
                .setURI(path)
                // The checked address itself: Vert.x must not resolve the name a second time.
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, port)))
                .setFollowRedirects(false)
                .setConnectTimeout(timeoutMillis);
        request.headers().forEach(options::putHeader);
        if (request.headers().keySet().stream().noneMatch("User-Agent"::equalsIgnoreCase)) {
            options.putHeader("User-Agent", "vigil-collector");
        }
        return client.request(options).compose(clientRequest -> {
            // On the deadline the stream is reset, which closes an HTTP/1.1 connection: nothing lingers.
            result.future().onFailure(failure -> clientRequest.reset());
            return request.body().map(clientRequest::send).orElseGet(clientRequest::send);
        }).compose(SinkHttp::readCapped);
    }

    private static Future<SinkResponse> readCapped(HttpClientResponse response) {
        Promise<SinkResponse> read = Promise.promise();
        Buffer body = Buffer.buffer();
        MultiMap headers = response.headers();
        response.handler(chunk -> {
            if (read.future().isComplete()) {
                return;
            }
            int room = MAX_RESPONSE_BYTES - body.length();
            body.appendBuffer(chunk.length() <= room ? chunk : chunk.getBuffer(0, room));
            if (body.length() >= MAX_RESPONSE_BYTES) {
                // Enough to judge the answer: the rest is not waited for (it may never end).
                read.tryComplete(new SinkResponse(response.statusCode(), headers, body));
                response.request().reset();
            }
        });
        response.exceptionHandler(read::tryFail);
        response.endHandler(end -> read.tryComplete(new SinkResponse(response.statusCode(), headers, body)));
        return read.future();
    }

    /**
     * The URL's scheme, host and port only, for messages: chat tools put their secret in the path, and
     * user info and the query may hold credentials too.
     */
    public static String redacted(URI url) {
        String host = url.getHost() == null ? "?" : url.getHost();
        return (url.getScheme() == null ? "" : url.getScheme() + "://") + host
                + (url.getPort() >= 0 ? ":" + url.getPort() : "") + "/…";
    }

    /**
     * Reads a URL that is itself a credential (a Slack or Teams webhook URL).
     *
     * @param owner what the URL belongs to, for the message, e.g. {@code slack sink 'chat'}
     * @throws IllegalArgumentException when it is not an absolute http(s) URL; the message does not show it
     */
    public static URI secretUrl(Secret url, String owner) {
        URI parsed;
        try {
            parsed = new URI(url.reveal());
        } catch (URISyntaxException e) {
            // URISyntaxException's message quotes the input: the secret stays out of it.
            throw new IllegalArgumentException(owner + ": webhook_url is not a valid URL (at character "
                    + e.getIndex() + ")");
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || parsed.getHost() == null) {
            throw new IllegalArgumentException(owner + ": webhook_url must be an absolute http(s) URL");
        }
        return parsed;
    }

    /**
     * A configured base URL as text without its trailing slashes, for appending API paths:
     * {@code https://x.atlassian.net/} and {@code https://x.atlassian.net} both give the latter.
     */
    public static String base(URI url) {
        String text = url.toString();
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '/') {
            end--;
        }
        return text.substring(0, end);
    }

    /** Closes the connections. */
    @Override
    public void close() {
        client.close();
    }
}
