package dev.pprof4j;

import java.io.ByteArrayOutputStream;
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

    // Field numbers of profile.proto, named as runtime/pprof's proto.go names them.
    private static final int PROFILE_SAMPLE_TYPE = 1;
    private static final int PROFILE_SAMPLE = 2;
    private static final int PROFILE_MAPPING = 3;
    private static final int PROFILE_LOCATION = 4;
    private static final int PROFILE_FUNCTION = 5;
    private static final int PROFILE_STRING_TABLE = 6;
    private static final int PROFILE_TIME_NANOS = 9;
    /** {@code Profile.duration_nanos}: the one field a profile may repeat, the last value counting. */
    static final int PROFILE_DURATION_NANOS = 10;
    private static final int PROFILE_PERIOD_TYPE = 11;
    private static final int PROFILE_PERIOD = 12;
    private static final int PROFILE_COMMENT = 13;
    private static final int PROFILE_DEFAULT_SAMPLE_TYPE = 14;
    private static final int VALUE_TYPE_TYPE = 1;
    private static final int VALUE_TYPE_UNIT = 2;
    private static final int SAMPLE_LOCATION = 1;
    private static final int SAMPLE_VALUE = 2;
    private static final int SAMPLE_LABEL = 3;
    private static final int LABEL_KEY = 1;
    private static final int LABEL_STR = 2;
    private static final int MAPPING_ID = 1;
    private static final int MAPPING_LIMIT = 3;
    private static final int MAPPING_FILENAME = 5;
    private static final int MAPPING_HAS_FUNCTIONS = 7;
    private static final int MAPPING_HAS_FILENAMES = 8;
    private static final int MAPPING_HAS_LINE_NUMBERS = 9;
    private static final int MAPPING_HAS_INLINE_FRAMES = 10;
    private static final int LOCATION_ID = 1;
    private static final int LOCATION_MAPPING_ID = 2;
    private static final int LOCATION_ADDRESS = 3;
    private static final int LOCATION_LINE = 4;
    private static final int LINE_FUNCTION_ID = 1;
    private static final int LINE_LINE = 2;
    private static final int FUNCTION_ID = 1;
    private static final int FUNCTION_NAME = 2;
    private static final int FUNCTION_SYSTEM_NAME = 3;
    private static final int FUNCTION_FILENAME = 4;
    private static final int FLUSH_BYTES = 1 << 16;
    private static final long JVM_MAPPING_ID = 1;

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

    /** The profile, gzip'd, in memory. */
    byte[] encode(StackProfile profile) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        write(profile, body);
        return body.toByteArray();
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
                body.message(PROFILE_SAMPLE_TYPE, valueType(type));
            }
            for (StackProfile.Sample sample : profile.samples()) {
                body.message(PROFILE_SAMPLE, sample(sample));
                if (body.size() > FLUSH_BYTES) {
                    body.drainTo(out);
                }
            }
            // One mapping for the whole JVM, spanning every address (limit = 2^64-1), which
            // says that functions, files, lines and inlined frames are all present.
            body.message(PROFILE_MAPPING, new ProtoWriter()
                    .int64(MAPPING_ID, JVM_MAPPING_ID)
                    .int64(MAPPING_LIMIT, -1)
                    .int64(MAPPING_FILENAME, string(programName))
                    .bool(MAPPING_HAS_FUNCTIONS, true)
                    .bool(MAPPING_HAS_FILENAMES, true)
                    .bool(MAPPING_HAS_LINE_NUMBERS, true)
                    .bool(MAPPING_HAS_INLINE_FRAMES, true));
            for (Map.Entry<Frame, Long> location : locations.entrySet()) {
                Frame frame = location.getKey();
                body.message(PROFILE_LOCATION, new ProtoWriter()
                        .int64(LOCATION_ID, location.getValue())
                        .int64(LOCATION_MAPPING_ID, JVM_MAPPING_ID)
                        .int64(LOCATION_ADDRESS, frameTable.address(frame))
                        .message(LOCATION_LINE, new ProtoWriter()
                                .int64(LINE_FUNCTION_ID, function(frame))
                                .int64(LINE_LINE, frame.line())));
                if (body.size() > FLUSH_BYTES) {
                    body.drainTo(out);
                }
            }
            body.drainTo(out);
            functionTable.drainTo(out);
            body.int64(PROFILE_TIME_NANOS, profile.timeNanos())
                    .int64(PROFILE_DURATION_NANOS, profile.durationNanos())
                    .message(PROFILE_PERIOD_TYPE, valueType(profile.periodType()))
                    .int64(PROFILE_PERIOD, profile.period());
            for (String comment : profile.comments()) {
                body.int64(PROFILE_COMMENT, string(comment));
            }
            if (profile.defaultSampleType() != null) {
                body.int64(PROFILE_DEFAULT_SAMPLE_TYPE, string(profile.defaultSampleType()));
            }
            for (String s : strings.keySet()) {
                body.string(PROFILE_STRING_TABLE, s);
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
            ProtoWriter written = new ProtoWriter().packed(SAMPLE_LOCATION, ids).packed(SAMPLE_VALUE, sample.values());
            sample.labels().forEach((key, value) -> written.message(SAMPLE_LABEL,
                    new ProtoWriter().int64(LABEL_KEY, string(key)).int64(LABEL_STR, string(value))));
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
                functionTable.message(PROFILE_FUNCTION, new ProtoWriter()
                        .int64(FUNCTION_ID, id)
                        .int64(FUNCTION_NAME, name)
                        .int64(FUNCTION_SYSTEM_NAME, name)
                        .int64(FUNCTION_FILENAME, string(frame.sourcePath())));
            }
            return id;
        }

        private ProtoWriter valueType(StackProfile.ValueType type) {
            return new ProtoWriter().int64(VALUE_TYPE_TYPE, string(type.type()))
                    .int64(VALUE_TYPE_UNIT, string(type.unit()));
        }

        private int string(String s) {
            return strings.computeIfAbsent(s, k -> strings.size());
        }
    }
}
