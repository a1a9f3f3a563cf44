package dev.vigil.config;

import java.net.InetSocketAddress;

/** {@code host:port} as operators write it ({@code 127.0.0.1:9470}, {@code [::1]:9470}, {@code db.example:5432}). */
public final class HostPort {
    private HostPort() {
    }

    /**
     * Parses {@code text} into an unresolved address; port 0 is allowed (a free port when listening).
     *
     * @throws IllegalArgumentException naming what is wrong, e.g. {@code must be host:port (was 'x')}
     */
    public static InetSocketAddress parse(String text) {
        String value = text.trim();
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("must be host:port (was '" + value + "')");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("must put an IPv6 address in brackets, e.g. [::1]:9470 (was '" + value + "')");
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("must be host:port (was '" + value + "')");
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be host:port with a numeric port (was '" + value + "')");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535 (was " + port + ")");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }
}
