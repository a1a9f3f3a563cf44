package dev.vigil.agent.probe;

import dev.vigil.protocol.Outcome;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http2.Http2Exception;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** Maps what went wrong in a run (an exception and the phase it happened in) to an {@link Outcome}. */
final class FailureClassifier {
    private FailureClassifier() {
    }

    static Outcome classify(Throwable failure, ProbeRun.Phase phase) {
        if (phase == ProbeRun.Phase.RESOLVING || find(failure, UnknownHostException.class) != null) {
            return Outcome.DNS_FAILED;
        }
        if (find(failure, SSLException.class) != null) {
            return Outcome.TLS_FAILED;
        }
        if (find(failure, ConnectTimeoutException.class) != null) {
            return Outcome.CONNECT_TIMEOUT;
        }
        if (find(failure, NoRouteToHostException.class) != null || mentionsUnreachable(failure)) {
            return Outcome.NETWORK_UNREACHABLE;
        }
        if (find(failure, ConnectException.class) != null) {
            return Outcome.CONNECT_REFUSED;
        }
        if (find(failure, PrematureChannelClosureException.class) != null) {
            return Outcome.CONNECTION_RESET;
        }
        if (find(failure, DecoderException.class) != null || find(failure, Http2Exception.class) != null) {
            return Outcome.PROTOCOL_ERROR;
        }
        if (find(failure, IOException.class) != null) {
            // A socket error while connecting that is neither a refusal nor a timeout (no usable address
            // family, no local address) means the target cannot be reached from here.
            return phase == ProbeRun.Phase.CONNECTING ? Outcome.NETWORK_UNREACHABLE : Outcome.CONNECTION_RESET;
        }
        return Outcome.AGENT_ERROR;
    }

    /** The innermost message worth showing, e.g. {@code Connection refused: /127.0.0.1:5432}. */
    static String describe(Throwable failure) {
        Throwable shown = failure;
        while ((shown instanceof DecoderException || shown.getMessage() == null) && shown.getCause() != null) {
            shown = shown.getCause();
        }
        String message = shown.getMessage();
        return message == null || message.isBlank() ? shown.getClass().getSimpleName() : message;
    }

    private static boolean mentionsUnreachable(Throwable failure) {
        SocketException socket = find(failure, SocketException.class);
        return socket != null && socket.getMessage() != null
                && socket.getMessage().toLowerCase(Locale.ROOT).contains("unreachable");
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }
}
