package dev.vigil.agent.icmp;

import static dev.vigil.agent.icmp.FakeKernel.frames;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.LastErrorException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class IcmpSocketsTest {
    private static final EchoOptions DEFAULTS = new EchoOptions(Optional.empty(), 0, false, 56);
    /** TEST-NET addresses: only the fake kernel ever sees them. */
    private static final InetAddress FAR_V4 = address("192.0.2.10");
    private static final InetAddress ROUTER_V4 = address("198.51.100.1");
    private static final InetAddress FAR_V6 = address("2001:db8::10");
    private static final InetAddress ROUTER_V6 = address("2001:db8::1");

    @Test
    void aRawSocketGetsEchoRepliesFromIpv4Loopback() throws Exception {
        try (IcmpSockets sockets = IcmpSockets.open(SocketMode.RAW)) {
            for (int i = 0; i < 3; i++) {
                Recorder recorder = new Recorder();
                sockets.echo(address("127.0.0.1"), DEFAULTS, recorder);

                EchoReply reply = recorder.reply();
                assertThat(reply.from()).isEqualTo(address("127.0.0.1"));
                assertThat(reply.roundTripNanos()).isPositive().isLessThan(TimeUnit.SECONDS.toNanos(5));
                assertThat(reply.hopLimit()).isEqualTo(64);
                assertThat(recorder.sentNanos).hasSize(1);
            }
        }
    }

    @Test
    void aRawSocketGetsAnEchoReplyFromIpv6LoopbackWithItsHopLimit() throws Exception {
        try (IcmpSockets sockets = IcmpSockets.open(SocketMode.RAW)) {
            Recorder recorder = new Recorder();
            sockets.echo(address("::1"), DEFAULTS, recorder);

            EchoReply reply = recorder.reply();
            assertThat(reply.from()).isEqualTo(address("::1"));
            assertThat(reply.hopLimit()).isEqualTo(64);
        }
    }

    @Test
    void theDefaultSocketsAnswerOnBothFamiliesWithTtlAndDontFragmentSet() throws Exception {
        EchoOptions options = new EchoOptions(Optional.empty(), 1, true, 1400);
        try (IcmpSockets sockets = IcmpSockets.open()) {
            for (String loopback : List.of("127.0.0.1", "::1")) {
                Recorder recorder = new Recorder();
                sockets.echo(address(loopback), options, recorder);

                assertThat(recorder.reply().from()).isEqualTo(address(loopback));
            }
        }
    }

    @Test
    void matchesARawReplyByIdentifierSequenceAndPayloadIgnoringOtherProgramsTraffic() throws Exception {
        FakeKernel kernel = FakeKernel.permitting(SocketMode.RAW).respond(sent -> frames(
                sent.replyWith(sent.identifier() ^ 1, new byte[56]),
                sent.replyWith(sent.identifier(), new byte[56]),
                sent.reply(),
                sent.reply()));
        try (IcmpSockets sockets = IcmpSockets.using(kernel, SocketMode.RAW)) {
            Recorder recorder = new Recorder();
            sockets.echo(FAR_V4, DEFAULTS, recorder);

            EchoReply reply = recorder.reply();
            FakeKernel.Sent sent = kernel.sent().get(0);
            assertThat(reply.sequence()).isEqualTo(sent.sequence());
            assertThat(reply.from()).isEqualTo(FAR_V4);
            assertThat(reply.hopLimit()).as("from the IPv4 header").isEqualTo(64);
            assertThat(sent.checksumValid()).isTrue();
            assertThat(sent.payloadBytes()).isEqualTo(56);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sockets.pendingCount() == 0);
            assertThat(recorder.heard).as("the foreign, the corrupt and the duplicate replies are ignored; sent comes"
                    + " first even when the reply beats the sender's return from sendto").containsExactly("sent", "replied");
        }
    }

    @Test
    void matchesAPingSocketReplyBySequenceWhateverIdentifierTheKernelGaveIt() throws Exception {
        FakeKernel kernel = FakeKernel.permitting(SocketMode.DATAGRAM);
        try (IcmpSockets sockets = IcmpSockets.using(kernel, SocketMode.DATAGRAM)) {
            Recorder recorder = new Recorder();
            sockets.echo(FAR_V4, DEFAULTS, recorder);

            EchoReply reply = recorder.reply();
            assertThat(kernel.sent().get(0).identifier()).isEqualTo(FakeKernel.PING_SOCKET_IDENTIFIER);
            assertThat(reply.hopLimit()).as("from the IP_TTL control message").isEqualTo(64);
            assertThat(kernel.calls()).contains("setsockopt(0,12,1)", "setsockopt(0,11,1)");
        }
    }

    @Test
    void reportsDestinationUnreachableNamingTheRouter() throws Exception {
        FakeKernel kernel = FakeKernel.permitting(SocketMode.RAW)
                .respond(sent -> frames(sent.error(3, 1, ROUTER_V4)));
        try (IcmpSockets sockets = IcmpSockets.using(kernel, SocketMode.RAW)) {
            Recorder recorder = new Recorder();
            sockets.echo(FAR_V4, DEFAULTS, recorder);

            assertThat(recorder.failure()).isEqualTo(new EchoFailure(EchoFailure.Kind.UNREACHABLE,
                    "192.0.2.10 unreachable: host unreachable, reported by 198.51.100.1"));
            assertThat(recorder.heard).containsExactly("sent", "failed");
        }
    }

    @Test
    void reportsAnIpv6HopLimitExceededNamingTheRouterAndTheTtl() throws Exception {
        FakeKernel kernel = FakeKernel.permitting(SocketMode.RAW)
                .respond(sent -> frames(sent.error(3, 0, ROUTER_V6)));
        try (IcmpSockets sockets = IcmpSockets.using(kernel, SocketMode.RAW)) {
            Recorder recorder = new Recorder();
            sockets.echo(FAR_V6, new EchoOptions(Optional.empty(), 1, false, 56), recorder);

            assertThat(recorder.failure()).isEqualTo(new EchoFailure(EchoFailure.Kind.TIME_EXCEEDED,
                    "hop limit exceeded in transit at router 2001:db8::1 on the way to 2001:db8::10 (ttl 1)"));
            assertThat(kernel.sent().get(0).ttl).isEqualTo(1);
        }
    }

    @Test
    void readsIcmpErrorsFromAPingSocketsErrorQueue() throws Exception {
        FakeKernel kernel = FakeKernel.permitting(SocketMode.DATAGRAM)
                .respond(sent -> frames(sent.error(11, 0, ROUTER_V4)));
        try (IcmpSockets sockets = IcmpSockets.using(kernel, SocketMode.DATAGRAM)) {
            Recorder recorder = new Recorder();
            sockets.echo(FAR_V4, new EchoOptions(Optional.empty(), 3, false, 56), recorder);

            assertThat(recorder.failure()).isEqualTo(new EchoFailure(EchoFailure.Kind.TIME_EXCEEDED,
                    "TTL exceeded in transit at router 198.51.100.1 on the way to 192.0.2.10 (ttl 3)"));
        }
    }

    @Test
    void reportsASendTheKernelRefused() throws Exception {
        FakeKernel kernel = FakeKernel.permitting(SocketMode.RAW).respond(sent -> {
            throw new LastErrorException(101);
        });
        try (IcmpSockets sockets = IcmpSockets.using(kernel, SocketMode.RAW)) {
            Recorder recorder = new Recorder();
            sockets.echo(FAR_V4, DEFAULTS, recorder);

            assertThat(recorder.failure()).isEqualTo(new EchoFailure(EchoFailure.Kind.UNREACHABLE,
                    "cannot send to 192.0.2.10: Network is unreachable"));
            assertThat(recorder.sentNanos).isEmpty();
        }
    }

    @Test
    void fallsBackToARawSocketWhenPingSocketsAreRefused() throws Exception {
        FakeKernel kernel = FakeKernel.permitting(SocketMode.RAW);
        try (IcmpSockets sockets = IcmpSockets.using(kernel, SocketMode.DATAGRAM, SocketMode.RAW)) {
            Recorder recorder = new Recorder();
            sockets.echo(FAR_V4, DEFAULTS, recorder);

            assertThat(recorder.reply().from()).isEqualTo(FAR_V4);
            assertThat(kernel.calls()).filteredOn(call -> call.startsWith("socket")).containsExactly("socket(v4,RAW)=100");
        }
    }

    @Test
    void failsAsNotPermittedNamingTheFixWhenNeitherSocketIsAllowed() throws Exception {
        FakeKernel kernel = FakeKernel.permitting();
        try (IcmpSockets sockets = IcmpSockets.using(kernel, SocketMode.DATAGRAM, SocketMode.RAW)) {
            Recorder recorder = new Recorder();
            sockets.echo(FAR_V4, DEFAULTS, recorder);

            assertThat(recorder.failure()).isEqualTo(new EchoFailure(EchoFailure.Kind.NOT_PERMITTED,
                    "ICMP echo is not permitted for this agent: an ICMPv4 ping socket (Permission denied) and a raw"
                    + " ICMPv4 socket (Operation not permitted) refused; grant the agent CAP_NET_RAW (setcap"
                    + " cap_net_raw+ep on its java binary, or AmbientCapabilities=CAP_NET_RAW in its systemd unit), or"
                    + " allow ping sockets for its group (sysctl net.ipv4.ping_group_range)"));
        }
    }

    @Test
    void setsTtlAndDontFragmentOnlyWhenARequestNeedsOtherValuesThanTheLast() throws Exception {
        FakeKernel kernel = FakeKernel.permitting(SocketMode.RAW);
        EchoOptions probing = new EchoOptions(Optional.empty(), 7, true, 0);
        try (IcmpSockets sockets = IcmpSockets.using(kernel, SocketMode.RAW)) {
            for (EchoOptions options : List.of(probing, probing, DEFAULTS)) {
                Recorder recorder = new Recorder();
                sockets.echo(FAR_V4, options, recorder);
                recorder.reply();
            }
        }

        assertThat(kernel.calls()).filteredOn(call -> call.startsWith("setsockopt(0,")).containsExactly(
                "setsockopt(0,2,7)", "setsockopt(0,10,2)", "setsockopt(0,2,-1)", "setsockopt(0,10,1)");
        assertThat(kernel.sent()).extracting(sent -> sent.ttl).containsExactly(7, 7, -1);
        assertThat(kernel.sent().get(0).payloadBytes()).isZero();
    }

    @Test
    void sendsFromEachSourceAddressThroughItsOwnBoundSocket() throws Exception {
        FakeKernel kernel = FakeKernel.permitting(SocketMode.RAW);
        try (IcmpSockets sockets = IcmpSockets.using(kernel, SocketMode.RAW)) {
            for (String source : List.of("192.0.2.1", "192.0.2.2", "192.0.2.1")) {
                Recorder recorder = new Recorder();
                sockets.echo(FAR_V4, new EchoOptions(Optional.of(address(source)), 0, false, 56), recorder);
                recorder.reply();
            }
        }

        assertThat(kernel.calls()).filteredOn(call -> call.startsWith("socket") || call.startsWith("bind")
                || call.startsWith("close")).containsExactlyInAnyOrder("socket(v4,RAW)=100", "bind(192.0.2.1)",
                "socket(v4,RAW)=101", "bind(192.0.2.2)", "close(100)", "close(101)");
    }

    @Test
    void reportsASourceAddressThisHostDoesNotHave() throws Exception {
        FakeKernel kernel = FakeKernel.permitting(SocketMode.RAW);
        try (IcmpSockets sockets = IcmpSockets.using(kernel, SocketMode.RAW)) {
            Recorder recorder = new Recorder();
            sockets.echo(FAR_V4, new EchoOptions(Optional.of(address("192.0.2.99")), 0, false, 56), recorder);

            assertThat(recorder.failure()).isEqualTo(new EchoFailure(EchoFailure.Kind.UNREACHABLE,
                    "cannot send from source_address 192.0.2.99: Cannot assign requested address"));
        }
        assertThat(kernel.calls()).contains("close(100)");
    }

    @Test
    void aCancelledRequestHearsNothingOfItsLateReply() throws Exception {
        FakeKernel kernel = FakeKernel.permitting(SocketMode.RAW).respond(sent -> frames());
        try (IcmpSockets sockets = IcmpSockets.using(kernel, SocketMode.RAW)) {
            Recorder recorder = new Recorder();
            EchoHandle handle = sockets.echo(FAR_V4, DEFAULTS, recorder);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> recorder.sentNanos.size() == 1);

            handle.cancel();
            FakeKernel.Sent sent = kernel.sent().get(0);
            kernel.deliver(sent, sent.reply());
            Recorder later = new Recorder();
            sockets.echo(FAR_V4, DEFAULTS, later);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> kernel.sent().size() == 2);
            kernel.deliver(kernel.sent().get(1), kernel.sent().get(1).reply());

            later.reply();
            assertThat(recorder.replies).isEmpty();
            assertThat(sockets.pendingCount()).isZero();
        }
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Collects what one request's listener hears. */
    static final class Recorder implements EchoListener {
        final List<Long> sentNanos = new CopyOnWriteArrayList<>();
        final List<EchoReply> replies = new CopyOnWriteArrayList<>();
        final List<String> heard = new CopyOnWriteArrayList<>();
        final CompletableFuture<Object> outcome = new CompletableFuture<>();

        @Override
        public void sent(long nanos) {
            heard.add("sent");
            sentNanos.add(nanos);
        }

        @Override
        public void replied(EchoReply reply) {
            heard.add("replied");
            replies.add(reply);
            outcome.complete(reply);
        }

        @Override
        public void failed(EchoFailure failure) {
            heard.add("failed");
            outcome.complete(failure);
        }

        EchoReply reply() throws Exception {
            Object result = outcome.get(5, TimeUnit.SECONDS);
            assertThat(result).isInstanceOf(EchoReply.class);
            return (EchoReply) result;
        }

        EchoFailure failure() throws Exception {
            Object result = outcome.get(5, TimeUnit.SECONDS);
            assertThat(result).isInstanceOf(EchoFailure.class);
            return (EchoFailure) result;
        }
    }
}
