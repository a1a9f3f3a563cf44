package dev.vigil.agent.icmp;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.net.InetAddress;
import java.util.Optional;

/**
 * One {@code struct msghdr} for {@code recvmsg(2)} with its buffers in native memory: the datagram
 * (one {@code iovec}), the sender's address and the control messages. The offsets follow the
 * Linux layout for the machine's pointer and {@code size_t} widths. Confined to one receiver thread.
 */
final class MessageHeader {
    static final int POINTER = Native.POINTER_SIZE;
    static final int SIZE_T = Native.SIZE_T_SIZE;
    static final int NAME = 0;
    static final int NAME_LENGTH = POINTER;
    static final int IOV = align(POINTER + 4, POINTER);
    static final int IOV_LENGTH = IOV + POINTER;
    static final int CONTROL = align(IOV_LENGTH + SIZE_T, POINTER);
    static final int CONTROL_LENGTH = CONTROL + POINTER;
    static final int FLAGS = CONTROL_LENGTH + SIZE_T;
    static final int SIZE = align(FLAGS + 4, POINTER);
    static final int IOVEC_BASE = 0;
    static final int IOVEC_LENGTH = POINTER;
    static final int CMSG_LEVEL = SIZE_T;
    static final int CMSG_TYPE = SIZE_T + 4;
    static final int CMSG_DATA = align(SIZE_T + 8, SIZE_T);

    /** Room for the largest echo reply (65,000 bytes of payload) with its IPv4 header. */
    static final int DATA_CAPACITY = 65_600;
    static final int NAME_CAPACITY = 128;
    static final int CONTROL_CAPACITY = 512;

    /** {@code struct sock_extended_err}: an error the kernel queued on a ping socket. */
    record ExtendedError(int errno, int origin, int type, int code, int info, Optional<InetAddress> offender) {
    }

    private final Memory header = new Memory(SIZE + POINTER + SIZE_T);
    private final Memory data = new Memory(DATA_CAPACITY);
    private final Memory name = new Memory(NAME_CAPACITY);
    private final Memory control = new Memory(CONTROL_CAPACITY);
    private final byte[] nameBytes = new byte[NAME_CAPACITY];

    /** Resets every length the previous {@code recvmsg} changed and returns the header to pass. */
    Pointer prepare() {
        Pointer iovec = header.share(SIZE);
        iovec.setPointer(IOVEC_BASE, data);
        writeSize(iovec, IOVEC_LENGTH, DATA_CAPACITY);
        header.setPointer(NAME, name);
        header.setInt(NAME_LENGTH, NAME_CAPACITY);
        header.setPointer(IOV, iovec);
        writeSize(header, IOV_LENGTH, 1);
        header.setPointer(CONTROL, control);
        writeSize(header, CONTROL_LENGTH, CONTROL_CAPACITY);
        header.setInt(FLAGS, 0);
        return header;
    }

    /** The {@code msg_flags} the kernel set ({@code MSG_TRUNC}, {@code MSG_CTRUNC}). */
    int flags() {
        return header.getInt(FLAGS);
    }

    /** Copies the first {@code length} received bytes into {@code into}. */
    void copyData(byte[] into, int length) {
        data.read(0, into, 0, length);
    }

    /** Where the datagram came from. */
    Optional<InetAddress> sender() {
        int length = Math.min(header.getInt(NAME_LENGTH), NAME_CAPACITY);
        name.read(0, nameBytes, 0, length);
        return SocketAddresses.decode(nameBytes, length);
    }

    /** The hop limit ({@code IP_TTL} or {@code IPV6_HOPLIMIT} control message), or -1 when none came. */
    int hopLimit() {
        for (int at = next(-1); at >= 0; at = next(at)) {
            int level = control.getInt(at + CMSG_LEVEL);
            int type = control.getInt(at + CMSG_TYPE);
            if ((level == LibC.IPPROTO_IP && type == LibC.IP_TTL)
                    || (level == LibC.IPPROTO_IPV6 && type == LibC.IPV6_HOPLIMIT)) {
                return control.getInt(at + CMSG_DATA);
            }
        }
        return -1;
    }

    /** The extended error of an error-queue read, when the kernel attached one. */
    Optional<ExtendedError> extendedError() {
        for (int at = next(-1); at >= 0; at = next(at)) {
            int level = control.getInt(at + CMSG_LEVEL);
            int type = control.getInt(at + CMSG_TYPE);
            if ((level == LibC.IPPROTO_IP && type == LibC.IP_RECVERR)
                    || (level == LibC.IPPROTO_IPV6 && type == LibC.IPV6_RECVERR)) {
                int base = at + CMSG_DATA;
                int dataLength = (int) readSize(control, at) - CMSG_DATA;
                Optional<InetAddress> offender = Optional.empty();
                int offenderLength = Math.min(dataLength - 16, NAME_CAPACITY);
                if (offenderLength > 0) {
                    control.read(base + 16, nameBytes, 0, offenderLength);
                    offender = SocketAddresses.decode(nameBytes, offenderLength);
                }
                return Optional.of(new ExtendedError(control.getInt(base), control.getByte(base + 4) & 0xff,
                        control.getByte(base + 5) & 0xff, control.getByte(base + 6) & 0xff, control.getInt(base + 8),
                        offender));
            }
        }
        return Optional.empty();
    }

    /**
     * The offset of the control message after the one at {@code at} ({@code at} = -1 asks for the
     * first), or -1 when there is none; walks only within what the kernel filled in.
     */
    private int next(int at) {
        long filled = Math.min(readSize(header, CONTROL_LENGTH), CONTROL_CAPACITY);
        int candidate = at < 0 ? 0 : at + align((int) readSize(control, at), SIZE_T);
        if (candidate + CMSG_DATA > filled || readSize(control, candidate) < CMSG_DATA) {
            return -1;
        }
        return candidate;
    }

    static long readSize(Pointer pointer, long offset) {
        return SIZE_T == 8 ? pointer.getLong(offset) : pointer.getInt(offset);
    }

    static void writeSize(Pointer pointer, long offset, long value) {
        if (SIZE_T == 8) {
            pointer.setLong(offset, value);
        } else {
            pointer.setInt(offset, (int) value);
        }
    }

    static int align(int value, int alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }
}
