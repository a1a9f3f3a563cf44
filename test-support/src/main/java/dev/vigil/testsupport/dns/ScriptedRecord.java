package dev.vigil.testsupport.dns;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.util.NetUtil;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * One resource record a {@link ScriptedDnsTarget} puts in a response: owner, type, class, TTL and a
 * writer for its data, which compresses the names in it as a real server does.
 */
public final class ScriptedRecord {
    private final String name;
    private final int type;
    private final int dnsClass;
    private final long ttl;
    private final BiConsumer<DnsMessageWriter, ByteBuf> data;

    private ScriptedRecord(String name, int type, int dnsClass, long ttl, BiConsumer<DnsMessageWriter, ByteBuf> data) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = type;
        this.dnsClass = dnsClass;
        this.ttl = ttl;
        this.data = data;
    }

    /** An A record holding the IPv4 literal {@code address}. */
    public static ScriptedRecord a(String name, long ttl, String address) {
        byte[] bytes = literal(address, 4);
        return new ScriptedRecord(name, DnsRecordType.A.intValue(), DnsRecord.CLASS_IN, ttl,
                (w, out) -> out.writeBytes(bytes));
    }

    /** An AAAA record holding the IPv6 literal {@code address}. */
    public static ScriptedRecord aaaa(String name, long ttl, String address) {
        byte[] bytes = literal(address, 16);
        return new ScriptedRecord(name, DnsRecordType.AAAA.intValue(), DnsRecord.CLASS_IN, ttl,
                (w, out) -> out.writeBytes(bytes));
    }

    /** A CNAME record pointing at {@code target}. */
    public static ScriptedRecord cname(String name, long ttl, String target) {
        return new ScriptedRecord(name, DnsRecordType.CNAME.intValue(), DnsRecord.CLASS_IN, ttl,
                (w, out) -> w.writeName(target, out));
    }

    /** An NS record naming {@code host}. */
    public static ScriptedRecord ns(String name, long ttl, String host) {
        return new ScriptedRecord(name, DnsRecordType.NS.intValue(), DnsRecord.CLASS_IN, ttl,
                (w, out) -> w.writeName(host, out));
    }

    /** A PTR record pointing at {@code host}. */
    public static ScriptedRecord ptr(String name, long ttl, String host) {
        return new ScriptedRecord(name, DnsRecordType.PTR.intValue(), DnsRecord.CLASS_IN, ttl,
                (w, out) -> w.writeName(host, out));
    }

    /** An MX record: mail for {@code name} goes to {@code host} with {@code preference}. */
    public static ScriptedRecord mx(String name, long ttl, int preference, String host) {
        return new ScriptedRecord(name, DnsRecordType.MX.intValue(), DnsRecord.CLASS_IN, ttl, (w, out) -> {
            out.writeShort(preference);
            w.writeName(host, out);
        });
    }

    /** A TXT record of one or more character-strings, each written as its UTF-8 bytes. */
    public static ScriptedRecord txt(String name, long ttl, String... strings) {
        return new ScriptedRecord(name, DnsRecordType.TXT.intValue(), DnsRecord.CLASS_IN, ttl, (w, out) -> {
            for (String string : strings) {
                byte[] bytes = string.getBytes(StandardCharsets.UTF_8);
                out.writeByte(bytes.length);
                out.writeBytes(bytes);
            }
        });
    }

    /** An SOA record. */
    public static ScriptedRecord soa(String name, long ttl, String primary, String mailbox, long serial, long refresh,
            long retry, long expire, long minimum) {
        return new ScriptedRecord(name, DnsRecordType.SOA.intValue(), DnsRecord.CLASS_IN, ttl, (w, out) -> {
            w.writeName(primary, out);
            w.writeName(mailbox, out);
            out.writeInt((int) serial);
            out.writeInt((int) refresh);
            out.writeInt((int) retry);
            out.writeInt((int) expire);
            out.writeInt((int) minimum);
        });
    }

    /** An SRV record; its target is not compressed (RFC 2782). */
    public static ScriptedRecord srv(String name, long ttl, int priority, int weight, int port, String target) {
        return new ScriptedRecord(name, DnsRecordType.SRV.intValue(), DnsRecord.CLASS_IN, ttl, (w, out) -> {
            out.writeShort(priority);
            out.writeShort(weight);
            out.writeShort(port);
            DnsMessageWriter.writeUncompressedName(target, out);
        });
    }

    /** A record of any type with {@code data} as it is, for unknown types and malformed data. */
    public static ScriptedRecord raw(String name, int type, long ttl, byte[] data) {
        byte[] copy = data.clone();
        return new ScriptedRecord(name, type, DnsRecord.CLASS_IN, ttl, (w, out) -> out.writeBytes(copy));
    }

    /** This record in class {@code dnsClass} (3 = CH) instead of IN. */
    public ScriptedRecord inClass(int dnsClass) {
        return new ScriptedRecord(name, type, dnsClass, ttl, data);
    }

    void write(DnsMessageWriter writer, ByteBuf out) {
        writer.writeName(name, out);
        out.writeShort(type);
        out.writeShort(dnsClass);
        out.writeInt((int) ttl);
        int lengthAt = out.writerIndex();
        out.writeShort(0);
        data.accept(writer, out);
        out.setShort(lengthAt, out.writerIndex() - lengthAt - 2);
    }

    private static byte[] literal(String address, int length) {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
        if (bytes == null || bytes.length != length) {
            throw new IllegalArgumentException("not an IPv" + (length == 4 ? 4 : 6) + " literal: " + address);
        }
        return bytes;
    }
}
