package dev.pprof4j;

import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a {@link StackProfile} as a gzip-compressed {@code perftools.profiles.Profile}
 * (the {@code profile.proto} beside the sources documents every field).
 *
 * <p>Strings, functions and locations are deduplicated; there is one location
 * per distinct frame (function and line), pointing at one synthetic mapping
 * that declares functions, file names and line numbers present, so
 * {@code go tool pprof} never tries to symbolize. Samples are streamed out as
 * they are encoded; the tables follow them, which the format allows.
 */
final class ProfileEncoder {

    private static final int TIME_NANOS = 9;
    /** {@code Profile.duration_nanos}: the one field a profile may repeat, the last value counting. */
    static final int DURATION_NANOS = 10;
    private static final int FLUSH_BYTES = 1 << 16;
    private static final long MAPPING_ID = 1;

    private final FrameTable frameTable;
    private final String programName;

    /**
     * @param frameTable gives locations the same addresses the text formats use
     * @param programName the mapping's file, which pprof prints as {@code File:}
     */
    ProfileEncoder(FrameTable frameTable, String programName) {
        this.frameTable = frameTable;
        this.programName = programName;
    }

    void write(StackProfile profile, OutputStream out) throws IOException {
        GZIPOutputStream gzip = gzip(out);
        writeUncompressed(profile, gzip);
        gzip.finish();
    }

    /** The profile's protobuf message, without compression: for a body already being gzip'd. */
    void writeUncompressed(StackProfile profile, OutputStream out) throws IOException {
        new Encoding(out).write(profile);
    }

    /** A gzip stream as profiles are compressed; its {@code flush()} sends what was written so far. */
    static GZIPOutputStream gzip(OutputStream out) throws IOException {
        // Fastest compression, as Go's snapshots: profiles are served while the application works.
        return new GZIPOutputStream(out, 8192, true) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        };
    }

    /** The state of one encoding: interned tables, and the pending bytes. */
    private final class Encoding {
        private final OutputStream out;
        private final ProtoWriter body = new ProtoWriter();
        private final Map<String, Integer> strings = new LinkedHashMap<>();
        private final Map<Frame, Long> locations = new LinkedHashMap<>();
        private final Map<Frame, Long> functions = new HashMap<>();
        private final ProtoWriter functionTable = new ProtoWriter();

        Encoding(OutputStream out) {
            this.out = out;
            string("");
        }

        void write(StackProfile profile) throws IOException {
            for (StackProfile.ValueType type : profile.sampleTypes()) {
                body.message(1, valueType(type));
            }
            for (StackProfile.Sample sample : profile.samples()) {
                body.message(2, sample(sample));
                if (body.size() > FLUSH_BYTES) {
                    body.drainTo(out);
                }
            }
            // One mapping for the whole JVM, spanning every address (limit = 2^64-1), which
            // says that functions, files, lines and inlined frames are all present.
            body.message(3, new ProtoWriter()
                    .int64(1, MAPPING_ID)
                    .int64(3, -1)
                    .int64(5, string(programName))
                    .bool(7, true)
                    .bool(8, true)
                    .bool(9, true)
                    .bool(10, true));
            for (Map.Entry<Frame, Long> location : locations.entrySet()) {
                Frame frame = location.getKey();
                body.message(4, new ProtoWriter()
                        .int64(1, location.getValue())
                        .int64(2, MAPPING_ID)
                        .int64(3, frameTable.address(frame))
                        .message(4, new ProtoWriter()
                                .int64(1, function(frame))
                                .int64(2, frame.line())));
                if (body.size() > FLUSH_BYTES) {
                    body.drainTo(out);
                }
            }
            body.drainTo(out);
            functionTable.drainTo(out);
            body.int64(TIME_NANOS, profile.timeNanos())
                    .int64(DURATION_NANOS, profile.durationNanos())
                    .message(11, valueType(profile.periodType()))
                    .int64(12, profile.period());
            for (String comment : profile.comments()) {
                body.int64(13, string(comment));
            }
            if (profile.defaultSampleType() != null) {
                body.int64(14, string(profile.defaultSampleType()));
            }
            for (String s : strings.keySet()) {
                body.string(6, s);
                if (body.size() > FLUSH_BYTES) {
                    body.drainTo(out);
                }
            }
            body.drainTo(out);
        }

        private ProtoWriter sample(StackProfile.Sample sample) {
            List<Frame> stack = sample.stack();
            long[] ids = new long[stack.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = locations.computeIfAbsent(stack.get(i), f -> (long) locations.size() + 1);
            }
            ProtoWriter written = new ProtoWriter().packed(1, ids).packed(2, sample.values());
            sample.labels().forEach((key, value) ->
                    written.message(3, new ProtoWriter().int64(1, string(key)).int64(2, string(value))));
            return written;
        }

        /** Functions are keyed by name and file: one per method, whatever the line. */
        private long function(Frame frame) {
            Frame key = new Frame(frame.className(), frame.methodName(), frame.sourcePath(), 0);
            Long id = functions.get(key);
            if (id == null) {
                id = (long) functions.size() + 1;
                functions.put(key, id);
                int name = string(frame.functionName());
                functionTable.message(5, new ProtoWriter()
                        .int64(1, id)
                        .int64(2, name)
                        .int64(3, name)
                        .int64(4, string(frame.sourcePath())));
            }
            return id;
        }

        private ProtoWriter valueType(StackProfile.ValueType type) {
            return new ProtoWriter().int64(1, string(type.type())).int64(2, string(type.unit()));
        }

        private int string(String s) {
            return strings.computeIfAbsent(s, k -> strings.size());
        }
    }
}
