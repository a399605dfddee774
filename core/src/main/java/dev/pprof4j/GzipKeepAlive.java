package dev.pprof4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * A gzip body ({@code Content-Encoding: gzip}) that can be written to
 * before its content exists: {@link #keepAlive} sends an empty deflate block,
 * five bytes that decompress to nothing, so a body whose bytes come only at
 * the end (a JFR file, which cannot be padded) still writes as it waits, and
 * a failed write tells the server that its client has gone.
 */
final class GzipKeepAlive {

    /** Gzip's header: deflate, no name, no time, unknown OS. */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    /** A non-final stored block of length 0: BFINAL=0, BTYPE=00, LEN=0, NLEN=0xffff. */
    private static final byte[] EMPTY_BLOCK = {0, 0, 0, (byte) 0xff, (byte) 0xff};

    private final OutputStream out;
    private boolean started;

    GzipKeepAlive(OutputStream out) {
        this.out = out;
    }

    /** Writes and flushes bytes that add nothing to the content. */
    void keepAlive() throws IOException {
        start();
        out.write(EMPTY_BLOCK);
        out.flush();
    }

    /** Writes {@code content} compressed and ends the gzip stream. */
    void finish(InputStream content) throws IOException {
        start();
        Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
        CRC32 crc = new CRC32();
        long size = 0;
        try {
            DeflaterOutputStream deflated = new DeflaterOutputStream(out, deflater, 1 << 16);
            byte[] buffer = new byte[1 << 16];
            for (int n = content.read(buffer); n >= 0; n = content.read(buffer)) {
                crc.update(buffer, 0, n);
                size += n;
                deflated.write(buffer, 0, n);
            }
            deflated.finish();
        } finally {
            deflater.end();
        }
        writeIntLittleEndian(crc.getValue());
        writeIntLittleEndian(size);
        out.flush();
    }

    private void start() throws IOException {
        if (!started) {
            started = true;
            out.write(HEADER);
        }
    }

    private void writeIntLittleEndian(long value) throws IOException {
        for (int i = 0; i < 4; i++) {
            out.write((int) (value >>> (8 * i)) & 0xff);
        }
    }
}
