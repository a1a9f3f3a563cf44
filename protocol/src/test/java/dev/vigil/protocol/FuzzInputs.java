package dev.vigil.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Valid protocol values drawn from a seeded random source, biased towards the edges: extreme longs,
 * empty and longest strings, unicode of every UTF-8 width, large and tiny index gaps. A batch comes
 * with the offsets of its length and count fields, so mutations can aim at them.
 */
final class FuzzInputs {
    /** Longs that sit on a boundary of some encoding: varint widths, sign, int range. */
    static final long[] EDGE_LONGS = {0, 1, 2, 0x7F, 0x80, 0x3FFF, 0x4000, 0xFF, 0xFFFF, 0x7FFF_FFFFL,
        0x8000_0000L, 0xFFFF_FFFFL, 0x1_0000_0000L, (1L << 56) - 1, 1L << 56, (1L << 62), Long.MAX_VALUE - 1,
        Long.MAX_VALUE};

    private static final String[] UNICODE = {"a", "Z", "0", "-", "/", "é", "ü", "ß", "Ω", "щ", "中", "文", "€",
        "\u2028", "\uFEFF", "😀", "𝄞", "\u0000", "\uFFFD", "\u007F", " ", "\uD800"};

    private final SplittableRandom random;

    FuzzInputs(SplittableRandom random) {
        this.random = random;
    }

    /** A batch as encoded, with where its variable fields are. */
    record EncodedBatch(long epoch, UUID instance, List<Gap> gaps, List<SampleRecord> records, byte[] bytes,
            int gapCountAt, int recordCountAt, List<Integer> varintsAt) {
    }

    long edgeOrRandom(long min) {
        long value = switch (random.nextInt(4)) {
            case 0 -> EDGE_LONGS[random.nextInt(EDGE_LONGS.length)];
            case 1 -> random.nextLong(1_000);
            case 2 -> 1_700_000_000_000L + random.nextLong(100_000_000_000L);
            default -> random.nextLong() & Long.MAX_VALUE;
        };
        return Math.max(min, value);
    }

    /** A UTF-8 string of at most {@code maxBytes} bytes, {@code minBytes} at least when possible. */
    String text(int minBytes, int maxBytes) {
        int target = random.nextInt(8) == 0 ? maxBytes : minBytes + random.nextInt(Math.min(maxBytes - minBytes, 40) + 1);
        StringBuilder text = new StringBuilder();
        int bytes = 0;
        while (bytes < target) {
            String piece = random.nextInt(3) == 0 ? UNICODE[random.nextInt(UNICODE.length)]
                    : String.valueOf((char) ('a' + random.nextInt(26)));
            int length = piece.getBytes(StandardCharsets.UTF_8).length;
            if (bytes + length > maxBytes) {
                break;
            }
            text.append(piece);
            bytes += length;
        }
        if (bytes < minBytes) {
            text.append('x');
        }
        return text.toString();
    }

    Sample sample() {
        Outcome outcome = Outcome.values()[random.nextInt(Outcome.values().length)];
        long scheduled = switch (random.nextInt(5)) {
            case 0 -> Long.MIN_VALUE + random.nextLong(3);
            case 1 -> Long.MAX_VALUE - random.nextLong(3);
            case 2 -> -random.nextLong(1_000_000);
            default -> 1_700_000_000_000L + random.nextLong(100_000_000_000L);
        };
        Sample sample = new Sample(text(1, Sample.MAX_CHECK_ID_BYTES), scheduled, edgeOrRandom(0), outcome, phase(),
                phase(), phase(), phase(), edgeOrRandom(0), (int) random.nextLong(65_536),
                outcome.isSuccess() ? "" : text(0, Sample.MAX_DETAIL_BYTES));
        return outcome.isSuccess() || random.nextInt(3) != 0 ? sample : sample.withEvidence(evidence());
    }

    /** Evidence with every field, often at or over its bounds, cut by {@link Evidence#bounded}. */
    Evidence evidence() {
        List<Evidence.Header> headers = new ArrayList<>();
        for (int i = random.nextInt(4) == 0 ? 40 : random.nextInt(4); i > 0; i--) {
            headers.add(Evidence.header(text(1, Evidence.MAX_HEADER_NAME_BYTES), text(0, Evidence.MAX_HEADER_VALUE_BYTES)));
        }
        List<String> answers = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            answers.add(text(1, Evidence.MAX_DNS_ANSWER_BYTES));
        }
        List<Evidence.Certificate> chain = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            chain.add(Evidence.certificate(text(0, Evidence.MAX_NAME_BYTES), text(0, Evidence.MAX_NAME_BYTES),
                    edgeOrRandom(0) - edgeOrRandom(0), edgeOrRandom(0),
                    String.format("%064x", random.nextLong() & Long.MAX_VALUE)));
        }
        return Evidence.bounded(text(0, Evidence.MAX_ADDRESS_BYTES), text(0, Evidence.MAX_STATUS_LINE_BYTES), headers,
                text(0, Evidence.MAX_BODY_BYTES), random.nextBoolean(), answers, chain,
                text(0, Evidence.MAX_ERROR_BYTES));
    }

    private long phase() {
        return random.nextInt(4) == 0 ? Sample.NOT_MEASURED : edgeOrRandom(0);
    }

    Gap gap(long sequence) {
        long first = -1;
        long last = -1;
        if (random.nextBoolean()) {
            first = edgeOrRandom(0);
            last = first + Math.min(Long.MAX_VALUE - first, random.nextLong(10_000));
        }
        long firstMillis = -1;
        long lastMillis = -1;
        if (random.nextBoolean()) {
            firstMillis = random.nextBoolean() ? Long.MIN_VALUE + random.nextLong(10) : 1_700_000_000_000L;
            lastMillis = firstMillis + random.nextLong(1_000_000);
        }
        GapReason reason = GapReason.values()[random.nextInt(GapReason.values().length)];
        return new Gap(sequence, reason, Math.max(1, edgeOrRandom(1)), first, last, firstMillis, lastMillis);
    }

    /** A valid batch of up to {@code maxRecords} records and a few gaps. */
    EncodedBatch batch(int maxRecords) {
        long epoch = random.nextInt(4) == 0 ? Long.MAX_VALUE - random.nextLong(2) : 1 + random.nextLong(1_000);
        UUID instance = new UUID(random.nextLong(), random.nextLong());
        List<Gap> gaps = new ArrayList<>();
        long sequence = random.nextInt(3) == 0 ? edgeOrRandom(0) / 2 : random.nextLong(10);
        for (int i = random.nextInt(4) == 0 ? random.nextInt(4) : 0; i > 0; i--) {
            gaps.add(gap(sequence));
            sequence += 1 + random.nextLong(3);
        }
        List<SampleRecord> records = new ArrayList<>();
        int count = random.nextInt(maxRecords + 1);
        long index = random.nextInt(3) == 0 ? edgeOrRandom(0) / 2 : random.nextLong(100_000);
        for (int i = 0; i < count; i++) {
            records.add(new SampleRecord(index, sample()));
            long step = switch (random.nextInt(6)) {
                case 0 -> 1 + random.nextLong(1L << 40);
                case 1 -> 2 + random.nextLong(1_000);
                default -> 1;
            };
            if (Long.MAX_VALUE - index < step) {
                break;
            }
            index += step;
        }
        byte[] bytes = BatchCodec.encode(epoch, instance, gaps, records);
        return new EncodedBatch(epoch, instance, gaps, records, bytes, 29, 31, varintOffsets(bytes));
    }

    /** Every varint's offset in a valid batch: gap fields, record deltas, lengths and sample fields. */
    static List<Integer> varintOffsets(byte[] bytes) {
        List<Integer> offsets = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        in.position(29);
        int gaps = in.getShort() & 0xFFFF;
        for (int i = 0; i < gaps; i++) {
            for (int field = 0; field < 7; field++) {
                if (field == 1) {
                    in.get();
                    continue;
                }
                offsets.add(in.position());
                Varint.read(in);
            }
        }
        int count = in.getInt();
        for (int i = 0; i < count; i++) {
            offsets.add(in.position());
            Varint.read(in);
            offsets.add(in.position());
            int length = (int) Varint.read(in);
            int end = in.position() + length;
            sampleVarints(in, offsets);
            in.position(end);
        }
        return offsets;
    }

    /** Adds the offsets of the varints of the sample at the buffer's position, reading past it. */
    static void sampleVarints(ByteBuffer in, List<Integer> offsets) {
        offsets.add(in.position());
        skipString(in);
        for (int field = 0; field < 9; field++) {
            if (field == 2) {
                in.get();
                continue;
            }
            offsets.add(in.position());
            Varint.read(in);
        }
        offsets.add(in.position());
        skipString(in);
    }

    private static void skipString(ByteBuffer in) {
        int length = (int) Varint.read(in);
        in.position(in.position() + length);
    }

    /** A valid ack with rejections whose messages may exceed what the codec keeps. */
    Ack ack() {
        List<Rejection> rejections = new ArrayList<>();
        for (int i = random.nextInt(3) == 0 ? random.nextInt(6) : 0; i > 0; i--) {
            long index = random.nextBoolean() ? random.nextLong() : edgeOrRandom(0);
            rejections.add(new Rejection(index, RejectionReason.values()[random.nextInt(RejectionReason.values().length)],
                    text(0, random.nextInt(10) == 0 ? 1_200 : 60)));
        }
        return new Ack(random.nextLong(), Math.max(-1, edgeOrRandom(0) - 1), Math.max(-1, edgeOrRandom(0) - 1),
                (int) Math.min(Integer.MAX_VALUE, edgeOrRandom(0)), (int) Math.min(Integer.MAX_VALUE, edgeOrRandom(0)),
                rejections);
    }
}
