package dev.vigil.agent.blackbox;

import dev.vigil.config.check.CheckConfig;
import dev.vigil.config.check.ProbeSpec;
import dev.vigil.config.check.ProbeType;
import dev.vigil.agent.http.ProbeAnswer;
import dev.vigil.agent.http.ProbeEndpoint;
import dev.vigil.agent.probe.Probe;
import dev.vigil.agent.probe.ProbeFactory;
import dev.vigil.agent.probe.ProbeResult;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code GET /probe?target=...&module=...} as blackbox_exporter 0.23 does: runs one Vigil
 * probe per request with the module's settings and the request's target, and answers with
 * blackbox_exporter's metrics ({@code debug=true}: a plain-text account of the run instead).
 *
 * <p>Requests blackbox_exporter refuses are refused alike: an unknown module or a missing target is
 * 400, a scrape-timeout header that is not a number 500. A module Vigil cannot run is 400 with the
 * reason. At most {@code maxInFlight} probes run at once; a request over that is 503 at once, so a
 * flood of requests cannot pile up probes. Nothing here blocks: the probe runs on the request's
 * event loop and the answer is written when it completes.
 */
public final class BlackboxEndpoint implements ProbeEndpoint {
    /** The probes in flight allowed unless the endpoint is told otherwise. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 1000;
    /** The module blackbox_exporter uses when a request names none. */
    public static final String DEFAULT_MODULE = "http_2xx";

    private static final Logger LOG = LoggerFactory.getLogger(BlackboxEndpoint.class);
    private static final String WARM_UP_HTTPS = "https://placeholder.invalid/";

    private final BlackboxConfig config;
    private final ProbeFactory probes;
    private final int maxInFlight;
    private final double offsetSeconds;
    private final Map<String, String> unsupported = new LinkedHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Counter runs;
    private final Counter rejected;

    /**
     * An endpoint for the modules of {@code config} that builds its probes with {@code probes} and
     * runs at most {@code maxInFlight} (≥ 1) at once, registering its own metrics in {@code registry}.
     * Builds each module's probe once with a placeholder target, so that a module whose files or
     * settings the probe cannot use is found now (and answered 400) rather than at the first request.
     */
    public BlackboxEndpoint(BlackboxConfig config, ProbeFactory probes, int maxInFlight, PrometheusRegistry registry) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be >= 1 (was " + maxInFlight + ")");
        }
        this.config = config;
        this.probes = probes;
        this.maxInFlight = maxInFlight;
        this.offsetSeconds = ScrapeTimeout.DEFAULT_OFFSET_SECONDS;
        for (BlackboxModule module : config.modules().values()) {
            module.unsupported().ifPresent(reason -> unsupported.put(module.name(), reason));
            module.prototype().flatMap(prototype -> warmUp(module, prototype))
                    .ifPresent(reason -> unsupported.put(module.name(), reason));
        }
        runs = Counter.builder()
                .name("vigil_blackbox_probes_total")
                .help("Probes run for /probe requests, by module and whether they succeeded")
                .labelNames("module", "success")
                .register(registry);
        rejected = Counter.builder()
                .name("vigil_blackbox_requests_rejected_total")
                .help("/probe requests answered without a probe, by reason")
                .labelNames("reason")
                .register(registry);
        GaugeWithCallback.builder()
                .name("vigil_blackbox_probes_in_flight")
                .help("Probes for /probe requests running now")
                .callback(callback -> callback.call(inFlight.get()))
                .register(registry);
    }

    private Optional<String> warmUp(BlackboxModule module, ProbeSpec prototype) {
        try {
            probes.create(check(module.name(), prototype, Duration.ofSeconds(1)));
            if (prototype.type() == ProbeType.HTTP) {
                probes.create(check(module.name(), ProbeTargets.aim(prototype, WARM_UP_HTTPS, Optional.empty()),
                        Duration.ofSeconds(1)));
            }
            return Optional.empty();
        } catch (IllegalArgumentException | ProbeTargets.BadTarget e) {
            String reason = "module " + module.name() + " cannot be probed by this agent: " + e.getMessage();
            LOG.warn("{}; /probe with it answers 400", reason);
            return Optional.of(reason);
        }
    }

    /** The modules that {@code /probe} answers 400 for, with the reasons. */
    public Map<String, String> unsupportedModules() {
        return Map.copyOf(unsupported);
    }

    @Override
    public CompletionStage<ProbeAnswer> probe(QueryStringDecoder uri, HttpHeaders headers, EventLoop loop) {
        Map<String, List<String>> parameters = uri.parameters();
        String moduleName = parameter(parameters, "module").orElse(DEFAULT_MODULE);
        BlackboxModule module = config.modules().get(moduleName);
        if (module == null) {
            return refuse("unknown_module", 400, "Unknown module \"" + moduleName + "\"");
        }
        Duration timeout;
        try {
            timeout = ScrapeTimeout.of(module.timeout(), Optional.ofNullable(headers.get(ScrapeTimeout.HEADER)),
                    offsetSeconds);
        } catch (NumberFormatException e) {
            return refuse("bad_timeout", 500, "Failed to parse timeout from Prometheus header: " + e.getMessage());
        }
        Optional<String> target = parameter(parameters, "target");
        if (target.isEmpty()) {
            return refuse("missing_target", 400, "Target parameter is missing");
        }
        String reason = unsupported.get(moduleName);
        if (reason != null) {
            return refuse("unsupported_module", 400, reason);
        }
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            return refuse("too_many_in_flight", 503, "Too many probes in flight (" + maxInFlight
                    + "); try again later");
        }
        boolean debug = parameter(parameters, "debug").filter("true"::equals).isPresent();
        Optional<String> hostname = module.prober().equals("http") ? parameter(parameters, "hostname")
                : Optional.empty();
        return new Run(module, target.get(), timeout, debug).start(hostname, loop);
    }

    private CompletionStage<ProbeAnswer> refuse(String why, int status, String message) {
        rejected.labelValues(why).inc();
        return CompletableFuture.completedFuture(ProbeAnswer.text(status, message));
    }

    /** The first value of {@code name}, as Go's {@code url.Values.Get}; empty when absent or empty. */
    private static Optional<String> parameter(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() || values.get(0).isEmpty()
                ? Optional.empty() : Optional.of(values.get(0));
    }

    private static CheckConfig check(String moduleName, ProbeSpec spec, Duration timeout) {
        String id = moduleName.replaceAll("[^A-Za-z0-9._-]", "_");
        id = id.isEmpty() ? "module" : id.substring(0, Math.min(id.length(), 128));
        return new CheckConfig(id, timeout.plusSeconds(1), timeout, spec);
    }

    /** One request's probe run, from its start to the answer; ends exactly once. */
    private final class Run {
        private final BlackboxModule module;
        private final String target;
        private final Duration timeout;
        private final boolean debug;
        private final long startNanos = System.nanoTime();
        private final AtomicBoolean ended = new AtomicBoolean();
        private final CompletableFuture<ProbeAnswer> answer = new CompletableFuture<>();
        private Optional<ProbeSpec> spec = Optional.empty();

        Run(BlackboxModule module, String target, Duration timeout, boolean debug) {
            this.module = module;
            this.target = target;
            this.timeout = timeout;
            this.debug = debug;
        }

        CompletionStage<ProbeAnswer> start(Optional<String> hostname, EventLoop loop) {
            Probe probe;
            try {
                ProbeSpec aimed = ProbeTargets.aim(module.prototype().orElseThrow(), target, hostname);
                spec = Optional.of(aimed);
                probe = probes.create(check(module.name(), aimed, timeout));
            } catch (ProbeTargets.BadTarget | IllegalArgumentException e) {
                // As blackbox_exporter: a target the prober cannot use is a failed probe, not a bad request.
                end(notRun(e.getMessage()), null);
                return answer;
            }
            try {
                probe.run(loop).whenComplete(this::end);
            } catch (RuntimeException e) {
                end(null, e);
            }
            return answer;
        }

        private ProbeResult notRun(String detail) {
            long nanos = System.nanoTime() - startNanos;
            return new ProbeResult(Outcome.AGENT_ERROR, Sample.NOT_MEASURED, Sample.NOT_MEASURED, Sample.NOT_MEASURED,
                    Sample.NOT_MEASURED, nanos, 0, detail);
        }

        private void end(ProbeResult result, Throwable failure) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            try {
                ProbeResult finished = failure == null ? result : notRun("probe failed unexpectedly: " + failure);
                if (failure != null) {
                    LOG.warn("Probe of {} with module {} failed unexpectedly", target, module.name(), failure);
                }
                double seconds = (System.nanoTime() - startNanos) / 1e9;
                runs.labelValues(module.name(), finished.outcome() == Outcome.OK ? "true" : "false").inc();
                String metrics = ProbeExposition.render(module.prober(), finished, seconds);
                answer.complete(debug
                        ? ProbeAnswer.text(200, DebugReport.render(module, target, timeout, spec, finished, seconds,
                                metrics).stripTrailing())
                        : new ProbeAnswer(200, ProbeExposition.CONTENT_TYPE, metrics));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }
}
