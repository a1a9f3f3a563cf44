package dev.vigil.agent.probe;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsPtrRecord;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.util.NetUtil;

/**
 * Writes a DNS record in the presentation form blackbox_exporter's checks match against (that of the
 * Go library miekg/dns): owner, TTL, class, type and data, separated by tabs, e.g.
 * {@code example.com.	300	IN	A	192.0.2.1}.
 *
 * <p>The data of A, AAAA, CNAME, NS, PTR, MX, TXT, SOA and SRV records is decoded; other types are
 * written in the generic form of RFC 3597 ({@code example.com.	300	CLASS1	TYPE257	\# 3 000102}). Names in
 * the data may be compressed: the record's content is a slice of the whole message (or a name Netty
 * already expanded), so a compression pointer is followed within the message it came in.
 */
final class DnsRecordText {
    private DnsRecordText() {
    }

    /**
     * The record in presentation form.
     *
     * @throws CorruptedFrameException when the record's data does not fit its type (an A record of 3 bytes,
     *                                 a name running past the data)
     */
    static String of(DnsRecord record) {
        int type = record.type().intValue();
        String typeName = typeName(type);
        StringBuilder text = new StringBuilder(64).append(record.name()).append('\t')
                .append(record.timeToLive()).append('\t');
        if (record instanceof DnsPtrRecord ptr) {
            return text.append(className(record.dnsClass())).append("\tPTR\t").append(ptr.hostname()).toString();
        }
        if (!(record instanceof DnsRawRecord raw)) {
            // Netty decodes every other record as raw data; anything else has no data we can show.
            return text.append("CLASS").append(record.dnsClass()).append("\tTYPE").append(type).append("\t\\# 0")
                    .toString();
        }
        // A duplicate: reading it moves its own indexes only, and it needs no release of its own.
        ByteBuf data = raw.content().duplicate();
        if (typeName == null) {
            return text.append("CLASS").append(record.dnsClass()).append("\tTYPE").append(type).append("\t\\# ")
                    .append(data.readableBytes()).append(' ').append(ByteBufUtil.hexDump(data)).toString();
        }
        text.append(className(record.dnsClass())).append('\t').append(typeName).append('\t');
        try {
            switch (typeName) {
                case "A" -> text.append(NetUtil.bytesToIpAddress(fixed(data, 4, record, typeName)));
                case "AAAA" -> text.append(ipv6(fixed(data, 16, record, typeName)));
                case "CNAME", "NS", "PTR" -> text.append(DefaultDnsRecordDecoder.decodeName(data));
                case "MX" -> text.append(data.readUnsignedShort()).append(' ')
                        .append(DefaultDnsRecordDecoder.decodeName(data));
                case "TXT" -> txt(data, text);
                case "SOA" -> text.append(DefaultDnsRecordDecoder.decodeName(data)).append(' ')
                        .append(DefaultDnsRecordDecoder.decodeName(data)).append(' ')
                        .append(data.readUnsignedInt()).append(' ')
                        .append(data.readUnsignedInt()).append(' ')
                        .append(data.readUnsignedInt()).append(' ')
                        .append(data.readUnsignedInt()).append(' ')
                        .append(data.readUnsignedInt());
                case "SRV" -> text.append(data.readUnsignedShort()).append(' ')
                        .append(data.readUnsignedShort()).append(' ')
                        .append(data.readUnsignedShort()).append(' ')
                        .append(DefaultDnsRecordDecoder.decodeName(data));
                default -> throw new IllegalStateException("no decoder for " + typeName);
            }
        } catch (IndexOutOfBoundsException e) {
            throw new CorruptedFrameException(typeName + " record of " + record.name() + " ends inside its data");
        }
        return text.toString();
    }

    /** The serial of an SOA record, which {@link #of} has accepted. */
    static long soaSerial(DnsRawRecord soa) {
        ByteBuf data = soa.content().duplicate();
        DefaultDnsRecordDecoder.decodeName(data);
        DefaultDnsRecordDecoder.decodeName(data);
        return data.readUnsignedInt();
    }

    /** The mnemonic of the types whose data this class decodes, or null. */
    static String typeName(int type) {
        return switch (type) {
            case 1 -> "A";
            case 2 -> "NS";
            case 5 -> "CNAME";
            case 6 -> "SOA";
            case 12 -> "PTR";
            case 15 -> "MX";
            case 16 -> "TXT";
            case 28 -> "AAAA";
            case 33 -> "SRV";
            default -> null;
        };
    }

    private static String className(int dnsClass) {
        return switch (dnsClass) {
            case DnsRecord.CLASS_IN -> "IN";
            case DnsRecord.CLASS_CSNET -> "CS";
            case DnsRecord.CLASS_CHAOS -> "CH";
            case DnsRecord.CLASS_HESIOD -> "HS";
            case DnsRecord.CLASS_NONE -> "NONE";
            case DnsRecord.CLASS_ANY -> "ANY";
            default -> "CLASS" + dnsClass;
        };
    }

    private static byte[] fixed(ByteBuf data, int length, DnsRecord record, String typeName) {
        if (data.readableBytes() != length) {
            throw new CorruptedFrameException(typeName + " record of " + record.name() + " has "
                    + data.readableBytes() + " bytes of data, not " + length);
        }
        return ByteBufUtil.getBytes(data);
    }

    /** RFC 5952 text, except that an IPv4-mapped address keeps the {@code ::ffff:} prefix, as miekg/dns writes it. */
    private static String ipv6(byte[] address) {
        boolean mapped = address[10] == (byte) 0xff && address[11] == (byte) 0xff;
        for (int i = 0; i < 10 && mapped; i++) {
            mapped = address[i] == 0;
        }
        if (mapped) {
            return "::ffff:" + NetUtil.bytesToIpAddress(address, 12, 4);
        }
        return NetUtil.bytesToIpAddress(address);
    }

    /** Each character-string quoted, {@code "} and {@code \} escaped, bytes outside printable ASCII as {@code \DDD}. */
    private static void txt(ByteBuf data, StringBuilder text) {
        boolean first = true;
        while (data.isReadable()) {
            int length = data.readUnsignedByte();
            if (data.readableBytes() < length) {
                throw new IndexOutOfBoundsException("character-string longer than the data");
            }
            text.append(first ? "\"" : " \"");
            first = false;
            for (int i = 0; i < length; i++) {
                int b = data.readUnsignedByte();
                if (b == '"' || b == '\\') {
                    text.append('\\').append((char) b);
                } else if (b < ' ' || b > '~') {
                    text.append('\\').append(b / 100).append(b / 10 % 10).append(b % 10);
                } else {
                    text.append((char) b);
                }
            }
            text.append('"');
        }
    }
}
