package dev.vigil.collector.report;

import dev.vigil.collector.api.JsonError;
import dev.vigil.collector.catalogue.Service;
import dev.vigil.collector.engine.SlaEngine;
import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.evidence.EvidenceIndex;
import dev.vigil.collector.incident.IncidentBook;
import dev.vigil.collector.kpi.KpiConfig;
import dev.vigil.collector.problem.Problem;
import dev.vigil.collector.report.ReportJobs.Job;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The SLA report API. {@code GET /api/v1/reports/sla?period=YYYY-MM&format=html|csv|json|pdf} (and
 * {@code &customer=}, {@code &service=}, for CSV {@code &table=}) answers with the file once it is made;
 * {@code POST} to the same address starts a job and answers 202 with its id and progress,
 * {@code GET /api/v1/reports/{id}} shows the progress and, once the file is ready, redirects (303) to
 * {@code GET /api/v1/reports/{id}/file}. Jobs expire {@link ReportJobs#KEEP} after they finish. Answers
 * 400 naming the parameter that is wrong, 404 for an unknown service, customer or job, 429 while
 * {@link ReportJobs#MAX_RUNNING} reports are being made, 503 while the journal is replayed.
 */
public final class ReportRoutes {
    /** Where the jobs live. */
    static final String JOBS = "/api/v1/reports";
    private static final String SLA = JOBS + "/sla";

    private final SlaEngine engine;
    private final IncidentBook incidents;
    private final InstantSource clock;
    private final BooleanSupplier ready;
    private final ReportJobs jobs;
    private final KpiConfig kpis;
    private final Supplier<List<Problem>> problems;
    private final Function<List<Incident>, ReportChanges> changes;
    private Optional<EvidenceIndex> evidence = Optional.empty();

    /**
     * Routes over {@code engine} and {@code incidents}, which they read on the event loop.
     *
     * @param kpis     the incident KPI targets
     * @param problems every problem now, e.g. {@code ProblemBook::problems}; read on the event loop
     * @param changes  the changes set against the incidents a report is made from, e.g.
     *                 {@code list -> ReportChanges.of(store, list, window, engine.catalogue())}; on the event loop
     * @param ready    whether the journal replay has finished
     */
    public ReportRoutes(Vertx vertx, SlaEngine engine, IncidentBook incidents, KpiConfig kpis,
            Supplier<List<Problem>> problems, Function<List<Incident>, ReportChanges> changes, InstantSource clock,
            BooleanSupplier ready) {
        this.changes = Objects.requireNonNull(changes, "changes");
        this.kpis = Objects.requireNonNull(kpis, "kpis");
        this.problems = Objects.requireNonNull(problems, "problems");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.incidents = Objects.requireNonNull(incidents, "incidents");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ready = Objects.requireNonNull(ready, "ready");
        this.jobs = new ReportJobs(vertx);
    }

    /** Shows the first failure {@code index} keeps for each incident in the incident rows; returns this. */
    public ReportRoutes withEvidence(EvidenceIndex index) {
        this.evidence = Optional.of(index);
        return this;
    }

    /** Adds the routes to {@code router}. */
    public void mount(Router router) {
        router.get(SLA).handler(this::report);
        router.post(SLA).handler(this::startJob);
        router.get(JOBS + "/:id").handler(this::job);
        router.get(JOBS + "/:id/file").handler(this::file);
    }

    private void report(RoutingContext context) {
        start(context).ifPresent(job -> job.finished().onComplete(done -> {
            jobs.remove(job);
            sendFile(context, job);
        }));
    }

    private void startJob(RoutingContext context) {
        start(context).ifPresent(job -> context.response()
                .setStatusCode(202)
                .putHeader("Location", JOBS + "/" + job.id())
                .putHeader("Content-Type", "application/json")
                .end(job.progress().encode()));
    }

    /** Validates the request and starts its job; answers the request itself when it cannot. */
    private Optional<Job> start(RoutingContext context) {
        if (!ready.getAsBoolean()) {
            context.response().putHeader("Retry-After", "1");
            JsonError.send(context, 503, "the collector is replaying its journal; retry shortly");
            return Optional.empty();
        }
        ReportRequest request;
        try {
            request = ReportRequest.parse(context.request()::getParam, clock.millis());
        } catch (IllegalArgumentException e) {
            JsonError.send(context, 400, e.getMessage());
            return Optional.empty();
        }
        Optional<String> unknown = unknown(request);
        if (unknown.isPresent()) {
            JsonError.send(context, 404, unknown.get());
            return Optional.empty();
        }
        List<Incident> incidentList = incidents.incidents();
        Optional<Job> job = jobs.start(request, new ReportBuilder(engine, incidentList, request,
                provider(context), kpis, problems.get()).withChanges(changes.apply(incidentList))
                .withEvidence(evidence.map(index -> ReportEvidence.of(incidentList, index, clock.millis()))
                        .orElse(ReportEvidence.NONE)));
        if (job.isEmpty()) {
            context.response().putHeader("Retry-After", "5");
            JsonError.send(context, 429, ReportJobs.MAX_RUNNING + " reports are being made; retry shortly");
        }
        return job;
    }

    /** Why the filters of {@code request} select nothing that can be reported on, if they do not. */
    private Optional<String> unknown(ReportRequest request) {
        if (request.service().isPresent()) {
            String name = request.service().get();
            Optional<Service> service = engine.catalogue().service(name);
            if (service.isEmpty()) {
                return Optional.of("no service named '" + name + "'");
            }
            if (service.get().sla().isEmpty()) {
                return Optional.of("service '" + name + "' has no SLA");
            }
            if (request.customer().isPresent() && !ReportBuilder.inScope(service.get(), request)) {
                return Optional.of("service '" + name + "' is not provided to customer '" + request.customer().get()
                        + "'");
            }
            return Optional.empty();
        }
        if (request.customer().isPresent()
                && engine.catalogue().services().stream().noneMatch(service -> ReportBuilder.inScope(service, request))) {
            return Optional.of("no service is provided to customer '" + request.customer().get() + "'");
        }
        return Optional.empty();
    }

    private void job(RoutingContext context) {
        Optional<Job> job = find(context);
        if (job.isEmpty()) {
            return;
        }
        JsonObject progress = job.get().progress();
        switch (job.get().state()) {
            case READY -> context.response()
                    .setStatusCode(303)
                    .putHeader("Location", JOBS + "/" + job.get().id() + "/file")
                    .putHeader("Content-Type", "application/json")
                    .end(progress.encode());
            case FAILED -> JsonError.send(context, 500, job.get().failure());
            default -> context.response().putHeader("Content-Type", "application/json").end(progress.encode());
        }
    }

    private void file(RoutingContext context) {
        Optional<Job> job = find(context);
        if (job.isEmpty()) {
            return;
        }
        switch (job.get().state()) {
            case READY, FAILED -> sendFile(context, job.get());
            default -> {
                JsonObject progress = job.get().progress().getJsonObject("progress");
                JsonError.send(context, 409, "report " + job.get().id() + " is not ready yet ("
                        + progress.getInteger("done") + " of " + progress.getInteger("total") + " services)");
            }
        }
    }

    private Optional<Job> find(RoutingContext context) {
        String id = context.pathParam("id");
        Optional<Job> job = jobs.job(id);
        if (job.isEmpty()) {
            JsonError.send(context, 404, "no report job '" + id + "' (jobs expire " + ReportJobs.KEEP.toMinutes()
                    + " minutes after they finish)");
        }
        return job;
    }

    private static void sendFile(RoutingContext context, Job job) {
        HttpServerResponse response = context.response();
        if (response.closed() || response.ended()) {
            return;
        }
        if (job.state() == ReportJobs.State.FAILED) {
            JsonError.send(context, 500, job.failure());
            return;
        }
        response.putHeader("Content-Type", job.request().format().mediaType())
                .putHeader("Content-Disposition", "attachment; filename=\"" + job.request().fileName() + "\"")
                .putHeader("X-Content-Type-Options", "nosniff")
                .end(Buffer.buffer(job.file()));
    }

    /** The provider as the header names it: the collector, as the request addressed it. */
    private static String provider(RoutingContext context) {
        HostAndPort authority = context.request().authority();
        String address = authority != null ? authority.toString()
                : context.request().localAddress().hostAddress() + ":" + context.request().localAddress().port();
        return "Vigil collector at " + context.request().scheme() + "://" + address;
    }
}
