package dev.vigil.collector.report;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The report jobs of one collector. A job computes its report in steps of at most {@link #STEP} on the
 * event loop, with a timer between steps so that requests and ingest run in between (the engine is not
 * thread-safe); then renders the immutable report on a worker thread, and keeps the file for
 * {@link #KEEP}. Event loop only.
 */
final class ReportJobs {
    /** The longest one step of a report holds the event loop. */
    static final Duration STEP = ReportBuilder.STEP;
    /** How long a finished job's file is kept. */
    static final Duration KEEP = Duration.ofMinutes(10);
    /** How many jobs may compute or render at once: each takes its share of the event loop. */
    static final int MAX_RUNNING = 4;
    /** How many jobs are kept at most, finished ones included: the oldest finished one goes first. */
    static final int MAX_KEPT = 16;
    private static final Logger LOG = LoggerFactory.getLogger(ReportJobs.class);

    private final Vertx vertx;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Job> jobs = new LinkedHashMap<>();

    ReportJobs(Vertx vertx) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
    }

    /** Where a job is. */
    enum State {
        /** Computing the figures, service by service. */
        BUILDING,
        /** Writing the file. */
        RENDERING,
        /** The file is ready. */
        READY,
        /** Computing or rendering failed. */
        FAILED
    }

    /** One report being made, or made. */
    static final class Job {
        private final String id;
        private final ReportRequest request;
        private final ReportBuilder builder;
        private final Promise<Void> finished = Promise.promise();
        private State state = State.BUILDING;
        private byte[] file;
        private String failure;

        private Job(String id, ReportRequest request, ReportBuilder builder) {
            this.id = id;
            this.request = request;
            this.builder = builder;
        }

        String id() {
            return id;
        }

        ReportRequest request() {
            return request;
        }

        State state() {
            return state;
        }

        /** The file, once {@link State#READY}. */
        byte[] file() {
            return file;
        }

        /** Why it failed, once {@link State#FAILED}. */
        String failure() {
            return failure;
        }

        /** Completes when the job is ready or failed. */
        Future<Void> finished() {
            return finished.future();
        }

        /** Where the job is, as the API shows it. */
        JsonObject progress() {
            JsonObject json = new JsonObject()
                    .put("id", id)
                    .put("state", state.name().toLowerCase(Locale.ROOT))
                    .put("period", request.month().toString())
                    .put("format", request.format().label())
                    .put("progress", new JsonObject().put("done", builder.done()).put("total", builder.total()));
            if (state == State.READY) {
                json.put("file", ReportRoutes.JOBS + "/" + id + "/file").put("bytes", file.length);
            }
            if (state == State.FAILED) {
                json.put("error", failure);
            }
            return json;
        }
    }

    /** Starts a job making {@code builder}'s report; empty when {@link #MAX_RUNNING} jobs are running. */
    Optional<Job> start(ReportRequest request, ReportBuilder builder) {
        long running = jobs.values().stream()
                .filter(job -> job.state == State.BUILDING || job.state == State.RENDERING).count();
        if (running >= MAX_RUNNING) {
            return Optional.empty();
        }
        if (jobs.size() >= MAX_KEPT) {
            jobs.values().stream().filter(job -> job.state == State.READY || job.state == State.FAILED).findFirst()
                    .ifPresent(oldest -> jobs.remove(oldest.id));
        }
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        Job job = new Job(HexFormat.of().formatHex(bytes), request, builder);
        jobs.put(job.id, job);
        // The first step waits for a timer too, so that the request that started the job is answered first.
        vertx.setTimer(1, timer -> step(job));
        return Optional.of(job);
    }

    /** The job {@code id}, unless it expired. */
    Optional<Job> job(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** Forgets {@code job}: its file was handed over. */
    void remove(Job job) {
        jobs.remove(job.id);
    }

    private void step(Job job) {
        boolean done;
        try {
            done = job.builder.step(STEP.toNanos());
        } catch (RuntimeException e) {
            // A bug; thrown from a timer it would only be logged and leave the job, and whoever waits on
            // it, building for ever.
            LOG.error("Computing SLA report {} failed", job.request.fileName(), e);
            finish(job, null, "computing the report failed: " + e);
            return;
        }
        if (!done) {
            // A timer, not runOnContext: only a timer lets the event loop look at its sockets in between.
            vertx.setTimer(1, timer -> step(job));
            return;
        }
        SlaReport report;
        try {
            report = job.builder.report();
        } catch (RuntimeException e) {
            LOG.error("Assembling SLA report {} failed", job.request.fileName(), e);
            finish(job, null, "computing the report failed: " + e);
            return;
        }
        job.state = State.RENDERING;
        // The report is immutable: rendering it needs neither the engine nor the event loop.
        vertx.executeBlocking(() -> render(report, job.request), false).onComplete(rendered -> {
            if (rendered.succeeded()) {
                finish(job, rendered.result(), null);
            } else {
                LOG.error("Rendering SLA report {} failed", job.request.fileName(), rendered.cause());
                finish(job, null, "rendering the report failed: " + rendered.cause());
            }
        });
    }

    /** Ends {@code job} with its file, or with why it has none; it is forgotten {@link #KEEP} later. */
    private void finish(Job job, byte[] file, String failure) {
        job.file = file;
        job.failure = failure;
        job.state = file != null ? State.READY : State.FAILED;
        vertx.setTimer(KEEP.toMillis(), timer -> jobs.remove(job.id));
        job.finished.complete();
    }

    /** {@code report} in the format and table {@code request} asks for. */
    static byte[] render(SlaReport report, ReportRequest request) {
        return request.render(report);
    }
}
