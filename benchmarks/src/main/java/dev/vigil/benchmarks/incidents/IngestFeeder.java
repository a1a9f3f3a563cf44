package dev.vigil.benchmarks.incidents;

import dev.vigil.protocol.Ack;
import dev.vigil.protocol.AckCodec;
import dev.vigil.protocol.BatchCodec;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import dev.vigil.protocol.SampleRecord;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One agent's worth of samples, shipped as an agent ships them: a thread that every tick gathers the
 * samples whose scheduled time has come and posts them as one protocol batch to
 * {@code /api/v1/ingest}, with journal indexes that only grow, and waits for the ack before the next.
 *
 * <p>Two sets of checks, every one sampled once a second at its own offset within the second:
 * {@code backgroundRate} healthy background checks ({@code bg-<n>}, in no service), and the victims,
 * healthy too until {@link #failNextTwo} makes a victim's next two samples fail. The second of them is
 * the confirming sample (the collector runs with {@code failures_to_open: 2}); the future that
 * {@link #failNextTwo} returns completes with the {@link System#nanoTime()} taken just before the POST
 * of the batch carrying it.
 */
final class IngestFeeder implements AutoCloseable {
    /** The journal epoch of the feeder's samples: one incarnation of one agent journal. */
    private static final long EPOCH = 1;
    private static final UUID INSTANCE = UUID.fromString("00000000-0000-4000-8000-0000000be7c6");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /**
     * The batch carrying a victim's confirming sample, as it was posted.
     *
     * @param victim                     the victim check (and service) name
     * @param firstFailureScheduledMillis the scheduled time of its first failed sample: the outage's start
     * @param sentNanos                  {@link System#nanoTime()} just before the POST
     * @param ackedNanos                 {@link System#nanoTime()} once the collector's ack was read
     */
    record Confirmation(String victim, long firstFailureScheduledMillis, long sentNanos, long ackedNanos) {
    }

    /** What a victim's next samples are to be. */
    private static final class Plan {
        final String victim;
        int failuresLeft = 2;
        long firstFailureScheduledMillis;
        final CompletableFuture<Confirmation> confirmed = new CompletableFuture<>();

        Plan(String victim) {
            this.victim = victim;
        }
    }

    private final URI ingest;
    private final String token;
    private final int backgroundChecks;
    private final List<String> victims;
    private final Duration tick;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Integer, Plan> plans = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long accepted;
    private volatile long batches;
    /** POST → ack of every batch that carried no failed sample, in the order shipped. */
    private final List<Long> healthyBatchNanos = Collections.synchronizedList(new ArrayList<>());
    private long startMillis;
    private long backgroundNext;
    private long victimNext;
    private long journalIndex;

    /**
     * A feeder of {@code backgroundRate} background samples a second and one a second per victim.
     *
     * @param ingest         the collector's {@code /api/v1/ingest}
     * @param token          the agent's bearer token
     * @param backgroundRate background samples per second, &gt; 0 (that many checks at 1 s)
     * @param victims        the victims' check ids, each also a catalogue service of one check
     * @param tick           how often a batch is shipped, &gt; 0
     */
    IngestFeeder(URI ingest, String token, int backgroundRate, List<String> victims, Duration tick) {
        this.ingest = Objects.requireNonNull(ingest, "ingest");
        this.token = Objects.requireNonNull(token, "token");
        if (backgroundRate <= 0 || victims.isEmpty() || tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("backgroundRate and tick must be > 0 and victims not empty (were "
                    + backgroundRate + ", " + tick + ", " + victims.size() + " victims)");
        }
        this.backgroundChecks = backgroundRate;
        this.victims = List.copyOf(victims);
        this.tick = tick;
        this.thread = new Thread(this::run, "ingest-feeder");
        thread.setDaemon(true);
    }

    /** Starts shipping; the first samples are scheduled now. */
    void start() {
        startMillis = System.currentTimeMillis();
        thread.start();
    }

    /**
     * Makes the next two samples of victim {@code victim} fail; the future completes once the second
     * is posted, or fails when the feeder stopped first.
     *
     * @throws IllegalStateException when that victim is still failing
     */
    CompletableFuture<Confirmation> failNextTwo(int victim) {
        Plan plan = new Plan(victims.get(victim));
        if (plans.putIfAbsent(victim, plan) != null) {
            throw new IllegalStateException("victim " + victims.get(victim) + " is still failing");
        }
        stopped.whenComplete((ignored, error) -> plan.confirmed.completeExceptionally(
                error != null ? error : new IllegalStateException("the feeder stopped")));
        return plan.confirmed;
    }

    /** Samples the collector acknowledged as newly journaled. */
    long accepted() {
        return accepted;
    }

    /** Batches posted. */
    long batches() {
        return batches;
    }

    /** POST → ack of the batches without a failed sample shipped so far, ns, in order; a copy. */
    List<Long> healthyBatchNanos() {
        synchronized (healthyBatchNanos) {
            return List.copyOf(healthyBatchNanos);
        }
    }

    /** Completes when the feeder stops; exceptionally when it stopped because a POST failed. */
    CompletableFuture<Void> stopped() {
        return stopped;
    }

    private void run() {
        long nextTickNanos = System.nanoTime();
        try {
            while (running) {
                List<SampleRecord> records = new ArrayList<>();
                List<Plan> confirming = new ArrayList<>();
                int failing = gather(System.currentTimeMillis(), records, confirming);
                if (!records.isEmpty()) {
                    long sentNanos = System.nanoTime();
                    ship(records);
                    long ackedNanos = System.nanoTime();
                    if (failing == 0) {
                        healthyBatchNanos.add(ackedNanos - sentNanos);
                    }
                    for (Plan plan : confirming) {
                        plan.confirmed.complete(new Confirmation(plan.victim, plan.firstFailureScheduledMillis,
                                sentNanos, ackedNanos));
                    }
                }
                nextTickNanos += tick.toNanos();
                long wait = nextTickNanos - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                } else {
                    // Behind (a slow ack): ship what is due at once, as an agent with a backlog does.
                    nextTickNanos = System.nanoTime();
                }
            }
            stopped.complete(null);
        } catch (RuntimeException | IOException e) {
            stopped.completeExceptionally(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped.completeExceptionally(e);
        }
    }

    /** Adds the samples due by {@code nowMillis} to {@code records}; returns how many of them failed. */
    private int gather(long nowMillis, List<SampleRecord> records, List<Plan> confirming) {
        int failing = 0;
        while (scheduled(backgroundNext, backgroundChecks) <= nowMillis) {
            String check = "bg-" + (backgroundNext % backgroundChecks);
            records.add(new SampleRecord(journalIndex++, healthy(check, scheduled(backgroundNext, backgroundChecks))));
            backgroundNext++;
        }
        while (scheduled(victimNext, victims.size()) <= nowMillis) {
            int victim = (int) (victimNext % victims.size());
            long at = scheduled(victimNext, victims.size());
            Plan plan = plans.get(victim);
            Sample sample;
            if (plan == null || plan.failuresLeft == 0) {
                sample = healthy(victims.get(victim), at);
            } else {
                sample = new Sample(victims.get(victim), at, 20_000, Outcome.STATUS_MISMATCH, Sample.NOT_MEASURED,
                        150_000, Sample.NOT_MEASURED, 400_000, 500_000, 503, "expected 2xx, got 503");
                if (plan.failuresLeft == 2) {
                    plan.firstFailureScheduledMillis = at;
                }
                plan.failuresLeft--;
                failing++;
                if (plan.failuresLeft == 0) {
                    confirming.add(plan);
                    // The next sample of this victim is healthy again: the outage ends, the incident resolves.
                    plans.remove(victim);
                }
            }
            records.add(new SampleRecord(journalIndex++, sample));
            victimNext++;
        }
        return failing;
    }

    /** When the {@code n}-th sample of a set of {@code checks} checks at 1 s is scheduled. */
    private long scheduled(long n, int checks) {
        return startMillis + n / checks * 1_000 + n % checks * 1_000 / checks;
    }

    private static Sample healthy(String check, long scheduledMillis) {
        return new Sample(check, scheduledMillis, 20_000, Outcome.OK, Sample.NOT_MEASURED, 150_000, Sample.NOT_MEASURED,
                400_000, 500_000, 200, "");
    }

    private void ship(List<SampleRecord> records) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(ingest)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", BatchCodec.MEDIA_TYPE)
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(BatchCodec.encode(EPOCH, INSTANCE, List.of(), records)))
                .build();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the collector answered " + response.statusCode() + " to a batch of "
                    + records.size() + ": " + new String(response.body(), StandardCharsets.UTF_8));
        }
        Ack ack = AckCodec.decode(response.body());
        if (ack.accepted() != records.size() || !ack.rejections().isEmpty()) {
            throw new IllegalStateException("the collector accepted " + ack.accepted() + " of " + records.size()
                    + " samples and rejected " + ack.rejections());
        }
        accepted += records.size();
        batches++;
    }

    /** Stops after the batch in flight and waits for the thread. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        LockSupport.unpark(thread);
        thread.join(TimeUnit.SECONDS.toMillis(35));
    }
}
