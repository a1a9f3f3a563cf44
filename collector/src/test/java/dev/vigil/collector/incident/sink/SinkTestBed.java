package dev.vigil.collector.incident.sink;

import dev.vigil.collector.evidence.EvidenceEntry;
import dev.vigil.collector.evidence.OpeningEvidence;
import dev.vigil.collector.incident.Acknowledgement;
import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentEvent;
import dev.vigil.collector.incident.IncidentEventType;
import dev.vigil.collector.incident.IncidentKind;
import dev.vigil.collector.incident.IncidentNote;
import dev.vigil.collector.incident.IncidentStatus;
import dev.vigil.collector.incident.Level;
import dev.vigil.collector.incident.Priority;
import dev.vigil.collector.incident.delivery.EgressPolicy;
import dev.vigil.collector.incident.delivery.IncidentSink;
import dev.vigil.collector.incident.delivery.SendResult;
import dev.vigil.collector.incident.delivery.SinkHttp;
import dev.vigil.collector.state.CheckKey;
import dev.vigil.protocol.Evidence;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;


/**
 * What every sink test stands on: one Vert.x per test class with the {@link SinkHttp} the sinks share,
 * allowed to reach the loopback receivers (the default egress policy blocks loopback), drafts of the
 * incidents the tests send, and a bounded wait for a sink's answer.
 *
 * <p>A test class registers it in a static field,
 * {@code @RegisterExtension static final SinkTestBed bed = new SinkTestBed();}: Vert.x starts before the
 * class's {@code @BeforeAll} methods and is closed after its {@code @AfterAll} ones.
 */
final class SinkTestBed implements BeforeAllCallback, AfterAllCallback {
    /** When the drafted outage started: 2024-03-01T10:00:00Z. */
    static final long STARTED = 1_709_287_200_000L;
    /** How long a sink's answer is waited for before the test fails. */
    private static final long ANSWER_SECONDS = 10;
    private static final EgressPolicy LOOPBACK_ALLOWED =
            new EgressPolicy(List.of(EgressPolicy.Cidr.parse("127.0.0.0/8")));

    /** A 503 that edge-1/web saw at {@link #STARTED}: the evidence every opening of {@link #EVIDENCE} carries. */
    static final EvidenceEntry FIRST_FAILURE = new EvidenceEntry(new CheckKey("edge-1", "web"), 41,
            new Sample("web", STARTED, 1_000, Outcome.STATUS_MISMATCH, 200_000, 300_000, -1, 1_500_000, 2_000_000,
                    503, "expected 2xx, got 503").withEvidence(Evidence.bounded("127.0.0.1:8443",
                    "HTTP/1.1 503 Service Unavailable", List.of(new Evidence.Header("Retry-After", "30")),
                    "upstream down", false, List.of(), List.of(), "")));
    /** Evidence for sinks built with it: the first failure, for every incident. */
    static final OpeningEvidence EVIDENCE = incident -> List.of(FIRST_FAILURE);
    /** The one line chat messages and Alertmanager show for {@link #FIRST_FAILURE}. */
    static final String FIRST_FAILURE_LINE =
            "first failure: HTTP/1.1 503 Service Unavailable at 2024-03-01T10:00:00Z (edge-1/web)";

    private Vertx vertx;
    private SinkHttp http;

    @Override
    public void beforeAll(ExtensionContext context) {
        vertx = Vertx.vertx();
        http = new SinkHttp(vertx, LOOPBACK_ALLOWED);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        http.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(ANSWER_SECONDS, TimeUnit.SECONDS);
    }

    /** The test class's Vert.x, for a client with another egress policy. */
    Vertx vertx() {
        return vertx;
    }

    /** The sinks' client, allowed to reach 127.0.0.0/8. */
    SinkHttp http() {
        return http;
    }

    /** What {@code sink} answers to {@code event}. */
    static SendResult send(IncidentSink sink, IncidentEvent event) throws Exception {
        return await(sink.send(event));
    }

    /** The value of {@code future}, waited for at most 10 s. */
    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(ANSWER_SECONDS, TimeUnit.SECONDS);
    }

    /** An open outage of checkout that started at {@link #STARTED}, to adjust before it is built. */
    static Draft outage() {
        return new Draft();
    }

    /**
     * An event of {@code type} about {@code open}: acknowledged by ana a minute after the start for an
     * update (sequence 1), the second reminder, or resolved 754 s after the start.
     */
    static IncidentEvent eventOf(IncidentEventType type, Incident open) {
        return switch (type) {
            case OPENED -> IncidentEvent.of(type, open);
            case UPDATED -> new IncidentEvent(type, 1, open.acknowledge(new Acknowledgement(STARTED + 60_000, "ana",
                    "api")));
            case REMINDER -> new IncidentEvent(type, 2, open);
            case RESOLVED -> IncidentEvent.of(type, open.resolve(STARTED + 754_000, "recovered"));
        };
    }

    /**
     * An incident being drafted: an open outage of checkout seen by edge-1/web, P1 (high impact, high
     * urgency), detected 15 s after it started, owned by payments, opened by journal entry 42.
     */
    static final class Draft {
        private String key = "service/checkout@" + STARTED;
        private String title = "checkout is down";
        private Optional<String> service = Optional.of("checkout");
        private List<CheckKey> checks = List.of(new CheckKey("edge-1", "web"));
        private Level impact = Level.HIGH;
        private Level urgency = Level.HIGH;
        private Priority priority = Priority.P1;
        private long startedEpochMillis = STARTED;
        private long detectedEpochMillis = STARTED + 15_000;
        private String detail = "TIMEOUT: no answer within 5 s";
        private Map<String, String> labels = Map.of("owner", "payments");
        private List<IncidentNote> timeline = List.of();
        private long openedJournalIndex = 42;

        private Draft() {
        }

        Draft key(String key) {
            this.key = key;
            return this;
        }

        Draft title(String title) {
            this.title = title;
            return this;
        }

        Draft service(Optional<String> service) {
            this.service = service;
            return this;
        }

        Draft checks(CheckKey... checks) {
            this.checks = List.of(checks);
            return this;
        }

        Draft checks(List<CheckKey> checks) {
            this.checks = checks;
            return this;
        }

        Draft priority(Level impact, Level urgency, Priority priority) {
            this.impact = impact;
            this.urgency = urgency;
            this.priority = priority;
            return this;
        }

        Draft started(long epochMillis) {
            this.startedEpochMillis = epochMillis;
            return this;
        }

        Draft detected(long epochMillis) {
            this.detectedEpochMillis = epochMillis;
            return this;
        }

        Draft detail(String detail) {
            this.detail = detail;
            return this;
        }

        Draft labels(Map<String, String> labels) {
            this.labels = labels;
            return this;
        }

        Draft timeline(IncidentNote... notes) {
            this.timeline = List.of(notes);
            return this;
        }

        Draft openedJournalIndex(long index) {
            this.openedJournalIndex = index;
            return this;
        }

        Incident build() {
            return new Incident(key, IncidentKind.OUTAGE, title, service, checks, IncidentStatus.OPEN, impact, urgency,
                    priority, startedEpochMillis, detectedEpochMillis, OptionalLong.empty(), Optional.empty(),
                    Optional.empty(), detail, labels, 1, timeline, openedJournalIndex);
        }
    }
}
