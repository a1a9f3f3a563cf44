package dev.vigil.agent.icmp;

/** One echo request in flight, which its sender may give up on. */
public interface EchoHandle {

    /**
     * Stops waiting: a request not yet sent is not sent, a reply arriving later is ignored, and
     * the listener hears nothing more. Safe from any thread, more than once.
     */
    void cancel();
}
