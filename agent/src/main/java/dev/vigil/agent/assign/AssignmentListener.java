package dev.vigil.agent.assign;

/** Hears what becomes of the agent's assignments; called on the poller's thread. */
public interface AssignmentListener {

    /** A poll reached the collector and got an answer to act on (a document or "not modified"). */
    void polled(long epochMillis);

    /** A poll failed: the collector is unreachable, refused the agent, or answered with an error. */
    void pollFailed(String reason);

    /**
     * {@code version} now runs: {@code running} assigned checks are scheduled, {@code refused} were left
     * out because a local check has their id.
     */
    void applied(String version, int running, int refused);

    /** A document was refused as a whole (it does not read, or a probe cannot be built); the previous set runs on. */
    void rejected(String version, String error);

    /** A listener that ignores everything. */
    AssignmentListener NONE = new AssignmentListener() {
        @Override
        public void polled(long epochMillis) {
        }

        @Override
        public void pollFailed(String reason) {
        }

        @Override
        public void applied(String version, int running, int refused) {
        }

        @Override
        public void rejected(String version, String error) {
        }
    };
}
