package dev.vigil.testsupport.target;

import io.netty.handler.codec.http.FullHttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP request as a test server received it.
 *
 * @param method  the HTTP method
 * @param uri     the request target, e.g. {@code /health?x=1}
 * @param headers header names lower-cased, first value of each
 * @param body    the body as UTF-8 text, empty for none
 */
public record RecordedHttpRequest(String method, String uri, Map<String, String> headers, String body) {

    /** Copies what a test asserts on out of {@code request} (which stays owned by the caller). */
    static RecordedHttpRequest of(FullHttpRequest request) {
        Map<String, String> headers = new TreeMap<>();
        request.headers().forEach(header ->
                headers.putIfAbsent(header.getKey().toLowerCase(Locale.ROOT), header.getValue()));
        return new RecordedHttpRequest(request.method().name(), request.uri(), Map.copyOf(headers),
                request.content().toString(StandardCharsets.UTF_8));
    }
}
