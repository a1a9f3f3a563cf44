package dev.vigil.agent.icmp;

/**
 * Hears what became of one echo request. Called on the ICMP sender or receiver threads, at most
 * once with {@link #replied} or {@link #failed}, and for a request the kernel took, always after
 * {@link #sent}: implementations hand the news to their own thread and return at once.
 */
public interface EchoListener {

    /** The request was handed to the kernel at {@code sentNanos} ({@link System#nanoTime()}). */
    void sent(long sentNanos);

    /** The reply arrived. */
    void replied(EchoReply reply);

    /** No reply will come. */
    void failed(EchoFailure failure);
}
