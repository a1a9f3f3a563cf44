package dev.vigil.testsupport.dns;

import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link ScriptedDnsTarget} does with one query: answer it (well or badly), say nothing, hang
 * up, or send bytes that are not DNS. Immutable; each {@code with}-style method returns a new reply.
 */
public final class ScriptedReply {
    /** What kind of thing is sent. */
    enum Kind { MESSAGE, SILENCE, HANG_UP, GARBAGE }

    /** Which id the response carries. */
    enum Id { RIGHT, WRONG, WRONG_THEN_RIGHT }

    final Kind kind;
    final int rcode;
    final List<ScriptedRecord> answer;
    final List<ScriptedRecord> authority;
    final List<ScriptedRecord> additional;
    final boolean truncated;
    final Id id;
    final int cutBytes;
    final String questionName;
    final DnsRecordType questionType;
    final boolean omitQuestion;
    final Duration delay;
    final byte[] garbage;

    private ScriptedReply(Kind kind, int rcode, List<ScriptedRecord> answer, List<ScriptedRecord> authority,
            List<ScriptedRecord> additional, boolean truncated, Id id, int cutBytes, String questionName,
            DnsRecordType questionType, boolean omitQuestion, Duration delay, byte[] garbage) {
        this.kind = kind;
        this.rcode = rcode;
        this.answer = List.copyOf(answer);
        this.authority = List.copyOf(authority);
        this.additional = List.copyOf(additional);
        this.truncated = truncated;
        this.id = id;
        this.cutBytes = cutBytes;
        this.questionName = questionName;
        this.questionType = questionType;
        this.omitQuestion = omitQuestion;
        this.delay = Objects.requireNonNull(delay, "delay");
        this.garbage = garbage;
    }

    /** A NOERROR response with {@code records} in its answer section (none: an empty answer). */
    public static ScriptedReply answer(ScriptedRecord... records) {
        return new ScriptedReply(Kind.MESSAGE, 0, List.of(records), List.of(), List.of(), false, Id.RIGHT, 0, null,
                null, false, Duration.ZERO, null);
    }

    /** A response with code {@code code} (NXDOMAIN, SERVFAIL, REFUSED...) and no records. */
    public static ScriptedReply rcode(DnsResponseCode code) {
        return answer().withRcode(code.intValue());
    }

    /** No response at all: the query goes unanswered (over TCP the connection stays open). */
    public static ScriptedReply silence() {
        return new ScriptedReply(Kind.SILENCE, 0, List.of(), List.of(), List.of(), false, Id.RIGHT, 0, null, null,
                false, Duration.ZERO, null);
    }

    /** Over TCP, the connection closed without a response; over UDP the same as {@link #silence()}. */
    public static ScriptedReply hangUp() {
        return new ScriptedReply(Kind.HANG_UP, 0, List.of(), List.of(), List.of(), false, Id.RIGHT, 0, null, null,
                false, Duration.ZERO, null);
    }

    /** {@code bytes} instead of a DNS message (over TCP with a length prefix that covers them). */
    public static ScriptedReply garbage(byte[] bytes) {
        return new ScriptedReply(Kind.GARBAGE, 0, List.of(), List.of(), List.of(), false, Id.RIGHT, 0, null, null,
                false, Duration.ZERO, bytes.clone());
    }

    /** This response with response code {@code rcode}, 0..15. */
    public ScriptedReply withRcode(int rcode) {
        return new ScriptedReply(kind, rcode, answer, authority, additional, truncated, id, cutBytes, questionName,
                questionType, omitQuestion, delay, garbage);
    }

    /** This response with {@code records} in its authority section. */
    public ScriptedReply authority(ScriptedRecord... records) {
        return new ScriptedReply(kind, rcode, answer, List.of(records), additional, truncated, id, cutBytes,
                questionName, questionType, omitQuestion, delay, garbage);
    }

    /** This response with {@code records} in its additional section. */
    public ScriptedReply additional(ScriptedRecord... records) {
        return new ScriptedReply(kind, rcode, answer, authority, List.of(records), truncated, id, cutBytes,
                questionName, questionType, omitQuestion, delay, garbage);
    }

    /** This response with the TC bit set, records as they are. */
    public ScriptedReply truncated() {
        return new ScriptedReply(kind, rcode, answer, authority, additional, true, id, cutBytes, questionName,
                questionType, omitQuestion, delay, garbage);
    }

    /** This response under an id that is not the query's. */
    public ScriptedReply withWrongId() {
        return withId(Id.WRONG);
    }

    /** This response sent twice: first under a wrong id, then under the query's. */
    public ScriptedReply afterOneWithAWrongId() {
        return withId(Id.WRONG_THEN_RIGHT);
    }

    /** This response without its last {@code bytes} bytes, its header still counting every record. */
    public ScriptedReply cutBy(int bytes) {
        return new ScriptedReply(kind, rcode, answer, authority, additional, truncated, id, bytes, questionName,
                questionType, omitQuestion, delay, garbage);
    }

    /** This response echoing a question other than the one asked. */
    public ScriptedReply forQuestion(String name, DnsRecordType type) {
        return new ScriptedReply(kind, rcode, answer, authority, additional, truncated, id, cutBytes, name, type,
                omitQuestion, delay, garbage);
    }

    /** This response with an empty question section. */
    public ScriptedReply withoutQuestion() {
        return new ScriptedReply(kind, rcode, answer, authority, additional, truncated, id, cutBytes, questionName,
                questionType, true, delay, garbage);
    }

    /** This reply sent {@code delay} after the query arrived. */
    public ScriptedReply delayedBy(Duration delay) {
        return new ScriptedReply(kind, rcode, answer, authority, additional, truncated, id, cutBytes, questionName,
                questionType, omitQuestion, delay, garbage);
    }

    private ScriptedReply withId(Id id) {
        return new ScriptedReply(kind, rcode, answer, authority, additional, truncated, id, cutBytes, questionName,
                questionType, omitQuestion, delay, garbage);
    }

    /** All records, for writing; answer first. */
    List<List<ScriptedRecord>> sections() {
        List<List<ScriptedRecord>> sections = new ArrayList<>();
        sections.add(answer);
        sections.add(authority);
        sections.add(additional);
        return sections;
    }
}
