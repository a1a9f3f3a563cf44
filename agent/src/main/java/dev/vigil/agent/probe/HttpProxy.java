package dev.vigil.agent.probe;

import io.netty.handler.proxy.HttpProxyHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP proxy an HTTP check goes through: every request, {@code http} and {@code https} alike,
 * travels in a {@code CONNECT} tunnel, so the target sees the same bytes as without the proxy.
 *
 * @param host     the proxy's host name or address, without IPv6 brackets
 * @param port     the proxy's port
 * @param username for {@code Proxy-Authorization: Basic}, from the URL's user info
 * @param password the password that goes with {@code username}
 */
record HttpProxy(String host, int port, Optional<String> username, String password) {

    HttpProxy {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    /** The proxy of {@code url}, {@code http://[user:password@]host[:port]}; without a port, 80. */
    static HttpProxy of(URI url) {
        String host = url.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = url.getPort() == -1 ? 80 : url.getPort();
        String userInfo = url.getUserInfo();
        if (userInfo == null) {
            return new HttpProxy(host, port, Optional.empty(), "");
        }
        int colon = userInfo.indexOf(':');
        return colon < 0
                ? new HttpProxy(host, port, Optional.of(userInfo), "")
                : new HttpProxy(host, port, Optional.of(userInfo.substring(0, colon)), userInfo.substring(colon + 1));
    }

    /**
     * A handler that tunnels through the proxy at {@code address} (this proxy, resolved). It sets no
     * timeout of its own: the run's deadline covers the tunnel.
     */
    HttpProxyHandler handler(InetSocketAddress address) {
        HttpProxyHandler handler = username.isPresent()
                ? new HttpProxyHandler(address, username.get(), password)
                : new HttpProxyHandler(address);
        handler.setConnectTimeoutMillis(0);
        return handler;
    }

    /** {@code host:port}, for details. */
    @Override
    public String toString() {
        return ProbeRun.target(host, port);
    }
}
