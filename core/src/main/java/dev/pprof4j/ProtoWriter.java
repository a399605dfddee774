package dev.pprof4j;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The few protobuf wire-format primitives the profile encoder needs: varints
 * and length-delimited fields, into a growable buffer.
 *
 * <p>pprof4j writes protobuf itself rather than through protobuf-java so that
 * it never constrains which protobuf-java (3.x or 4.x) the application it is
 * embedded in uses.
 */
final class ProtoWriter {

    private static final int VARINT = 0;
    private static final int LENGTH_DELIMITED = 2;

    private byte[] buffer = new byte[64];
    private int size;

    /** An int64/uint64/bool field; zero values are omitted, as proto3 does. */
    ProtoWriter int64(int field, long value) {
        if (value != 0) {
            tag(field, VARINT);
            varint(value);
        }
        return this;
    }

    ProtoWriter bool(int field, boolean value) {
        return int64(field, value ? 1 : 0);
    }

    /** A packed repeated int64/uint64 field. */
    ProtoWriter packed(int field, long[] values) {
        if (values.length > 0) {
            ProtoWriter packed = new ProtoWriter();
            for (long value : values) {
                packed.varint(value);
            }
            message(field, packed);
        }
        return this;
    }

    /** A string field; written even when empty, since string_table[0] must be "". */
    ProtoWriter string(int field, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        tag(field, LENGTH_DELIMITED);
        varint(bytes.length);
        write(bytes, 0, bytes.length);
        return this;
    }

    ProtoWriter message(int field, ProtoWriter message) {
        tag(field, LENGTH_DELIMITED);
        varint(message.size);
        write(message.buffer, 0, message.size);
        return this;
    }

    int size() {
        return size;
    }

    /** Moves the bytes written so far to {@code out} and empties the buffer. */
    void drainTo(OutputStream out) throws IOException {
        out.write(buffer, 0, size);
        size = 0;
    }

    private void tag(int field, int wireType) {
        varint((long) field << 3 | wireType);
    }

    private void varint(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            buffer[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buffer[size++] = (byte) value;
    }

    private void write(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}
