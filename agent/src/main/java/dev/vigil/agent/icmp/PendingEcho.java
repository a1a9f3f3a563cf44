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
    // Guarded by this: whether the listener has heard sent, and news held back until it has.
    private boolean announced;
    private Runnable held;

    PendingEcho(InetAddress destination, EchoOptions options, EchoListener listener) {
        this.destination = destination;
        this.options = options;
        this.listener = listener;
    }

    /**
     * On the sender thread, once the kernel took the request: tells the listener, then passes on
     * the reply or error the receiver held back meanwhile (a fast reply can beat this call).
     */
    void announceSent(long nanos) {
        listener.sent(nanos);
        Runnable later;
        synchronized (this) {
            announced = true;
            later = held;
            held = null;
        }
        if (later != null) {
            later.run();
        }
    }

    /** On the receiver thread: passes {@code news} on now if the listener heard {@code sent}, else after. */
    void settle(Runnable news) {
        synchronized (this) {
            if (!announced) {
                held = news;
                return;
            }
        }
        news.run();
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
