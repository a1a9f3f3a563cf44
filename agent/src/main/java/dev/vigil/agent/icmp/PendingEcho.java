package dev.vigil.agent.icmp;

import java.net.InetAddress;

/**
 * One echo request from the moment it is asked for until its reply, its failure or its
 * cancellation. Its sequence, payload and socket are set on the sender thread before the request is
 * registered with its socket, which publishes them to the receiver thread.
 */
final class PendingEcho implements EchoHandle {
    final InetAddress destination;
    final EchoOptions options;
    final EchoListener listener;
    int sequence;
    byte[] payload;
    volatile long sentNanos;
    volatile EchoSocket socket;
    private volatile boolean cancelled;

    PendingEcho(InetAddress destination, EchoOptions options, EchoListener listener) {
        this.destination = destination;
        this.options = options;
        this.listener = listener;
    }

    boolean cancelled() {
        return cancelled;
    }

    @Override
    public void cancel() {
        // Written before socket is read; the sender writes socket before reading cancelled: one of
        // the two sees the other's write and removes the registration.
        cancelled = true;
        EchoSocket registered = socket;
        if (registered != null) {
            registered.forget(this);
        }
    }
}
