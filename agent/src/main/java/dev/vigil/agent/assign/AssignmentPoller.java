package dev.vigil.agent.assign;

import dev.vigil.agent.ship.Backoff;
import dev.vigil.agent.ship.CollectorClient;
import dev.vigil.agent.ship.CollectorReply;
import dev.vigil.config.ConfigException;
import dev.vigil.config.DurableFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the agent's assigned checks in step with its collector: fetches {@code GET /api/v1/assignments}
 * every poll interval with the version it runs as {@code If-None-Match}, and applies a new version that
 * reads. The last applied document is cached at {@code <data_dir>/assignments.json} (written atomically,
 * owner-only), and applied from there at start, so the agent probes its assigned checks even when the
 * collector is away.
 *
 * <p>A document that does not read, or whose probes cannot be built, is refused as a whole: logged with
 * its error and counted once per version, and not cached; the previous set runs on. It is read again at
 * every poll until the collector sends another version, so a refusal for a cause on this host (a file a
 * check names is missing) ends once the cause is fixed. Failed polls back off from 1 s, doubling with
 * jitter, up to four poll intervals.
 *
 * <p>Runs on its own thread ({@code vigil-assignments}): it waits for the collector's answer, reads
 * files named by checks and builds probes there, never on an event loop.
 */
public final class AssignmentPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AssignmentPoller.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration ANSWER_MARGIN = Duration.ofSeconds(5);
    private static final Pattern VERSION_FIELD = Pattern.compile("\"version\"\\s*:\\s*\"([0-9a-f]{1,64})\"");

    private final String agent;
    private final Duration pollInterval;
    private final Duration requestTimeout;
    private final Backoff backoff;
    private final CollectorClient client;
    private final Path cacheFile;
    private final AssignmentApplier applier;
    private final AssignmentListener listener;
    private final InstantSource clock;
    private final ScheduledExecutorService thread;
    private Optional<String> rejectedVersion = Optional.empty();
    private int failuresInARow;
    private String lastFailure = "";

    /**
     * A poller for agent {@code agent} asking through {@code client} every {@code pollInterval}; a request
     * whose answer takes longer than {@code requestTimeout} fails. {@code client} is closed with the poller.
     */
    public AssignmentPoller(String agent, Duration pollInterval, Duration requestTimeout, CollectorClient client,
            Path cacheFile, AssignmentApplier applier, AssignmentListener listener, InstantSource clock) {
        this.agent = Objects.requireNonNull(agent, "agent");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.client = Objects.requireNonNull(client, "client");
        this.cacheFile = Objects.requireNonNull(cacheFile, "cacheFile");
        this.applier = Objects.requireNonNull(applier, "applier");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = Objects.requireNonNull(clock, "clock");
        Duration first = FIRST_RETRY.compareTo(pollInterval) < 0 ? FIRST_RETRY : pollInterval;
        this.backoff = new Backoff(first, pollInterval.multipliedBy(4));
        this.thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread poller = new Thread(task, "vigil-assignments");
            poller.setDaemon(true);
            return poller;
        });
    }

    /**
     * Applies the cached assignment, if there is one that still reads; call before the scheduler starts
     * so that the assigned checks start with the local ones. Returns the version applied.
     */
    public Optional<String> applyCached() {
        String text;
        try {
            text = Files.readString(cacheFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            LOG.info("No cached assignment at {}; assigned checks start when the collector answers", cacheFile);
            return Optional.empty();
        } catch (IOException e) {
            LOG.error("Cannot read the cached assignment {}; assigned checks start when the collector answers: {}",
                    cacheFile, e.getMessage());
            listener.rejected("cache", e.getMessage());
            return Optional.empty();
        }
        Optional<Assignment> assignment = read(text, "cache");
        if (assignment.isEmpty() || !apply(assignment.get())) {
            return Optional.empty();
        }
        LOG.info("Applied the cached assignment {} from {}", assignment.get().version(), cacheFile);
        return Optional.of(assignment.get().version());
    }

    /** Starts polling now, then every poll interval. */
    public void start() {
        thread.execute(this::poll);
    }

    /** Stops polling (a poll in progress ends) and closes the client. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(requestTimeout.plus(ANSWER_MARGIN).toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("The assignment poller did not stop in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }

    private void poll() {
        Duration next;
        try {
            next = pollOnce() ? pollInterval : failed();
        } catch (RuntimeException e) {
            // A bug, not the collector's answer: keep polling rather than let the thread die silently.
            LOG.error("Assignment poll failed unexpectedly", e);
            lastFailure = "";
            next = failed(e.toString());
        }
        try {
            thread.schedule(this::poll, next.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closed meanwhile: no more polls.
        }
    }

    /** One request; whether the collector answered something to act on. */
    private boolean pollOnce() {
        CollectorReply reply;
        try {
            reply = client.get(applier.version().map(version -> Map.of("If-None-Match", "\"" + version + "\""))
                    .orElse(Map.of()))
                    .get(requestTimeout.plus(ANSWER_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            // Closing: not a failure of the collector.
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return failure("the collector cannot be reached: " + e.getCause());
        } catch (TimeoutException e) {
            return failure("no answer within " + requestTimeout.plus(ANSWER_MARGIN).toMillis() + " ms");
        }
        switch (reply.status()) {
            case 304 -> {
                succeeded();
                return true;
            }
            case 200 -> {
                succeeded();
                received(new String(reply.body(), StandardCharsets.UTF_8));
                return true;
            }
            case 404 -> {
                return failure("the collector does not serve assignments (404); it may be older than this agent, "
                        + "or set collector.assignments.enabled: false");
            }
            default -> {
                return failure("the collector answered " + reply.status() + ": " + reply.errorMessage());
            }
        }
    }

    private void received(String text) {
        Optional<Assignment> read = read(text, "collector");
        if (read.isEmpty()) {
            return;
        }
        Assignment assignment = read.get();
        if (applier.version().equals(Optional.of(assignment.version()))) {
            return;
        }
        if (!apply(assignment)) {
            return;
        }
        try {
            DurableFile.writeOwnerOnly(cacheFile, text);
        } catch (IOException e) {
            // The assignment runs; only a restart while the collector is away would miss it.
            LOG.error("Cannot cache assignment {} at {}: {}", assignment.version(), cacheFile, e.getMessage());
        }
    }

    private Optional<Assignment> read(String text, String source) {
        try {
            return Optional.of(Assignment.read(cacheFile.getFileName().toString(), text, agent));
        } catch (ConfigException e) {
            reject(versionOf(text).orElse(source), "does not read: " + e.getMessage());
            return Optional.empty();
        }
    }

    private boolean apply(Assignment assignment) {
        try {
            AssignmentApplier.Applied applied = applier.apply(assignment);
            rejectedVersion = Optional.empty();
            listener.applied(applied.version(), applied.running(), applied.refused().size());
            return true;
        } catch (RuntimeException e) {
            reject(assignment.version(), "cannot be run: " + e.getMessage());
            return false;
        }
    }

    private void reject(String version, String error) {
        if (rejectedVersion.equals(Optional.of(version))) {
            return;
        }
        rejectedVersion = Optional.of(version);
        LOG.error("Assignment {} refused, the previous checks run on: {}", version, error);
        listener.rejected(version, error);
    }

    private void succeeded() {
        if (failuresInARow > 0) {
            LOG.info("Assignment polls reach the collector again after {} failures", failuresInARow);
        }
        failuresInARow = 0;
        lastFailure = "";
        listener.polled(clock.millis());
    }

    private boolean failure(String reason) {
        if (!reason.equals(lastFailure)) {
            LOG.warn("Assignment poll failed, the current checks run on: {}", reason);
            lastFailure = reason;
        }
        listener.pollFailed(reason);
        return false;
    }

    private Duration failed() {
        failuresInARow++;
        return backoff.delay(failuresInARow, ThreadLocalRandom.current());
    }

    private Duration failed(String reason) {
        failure(reason);
        return failed();
    }

    /** The version a document names, read leniently so that a refusal can name it. */
    private static Optional<String> versionOf(String text) {
        Matcher matcher = VERSION_FIELD.matcher(text);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
