package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.proto.ProfileProto;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The encoder's bytes, parsed back with classes generated from profile.proto. */
class ProfileEncoderTest {

    private static final Frame LEAF = Frame.of("com.example.Cache", "put", "Cache.java", 42);
    private static final Frame LEAF_OTHER_LINE = Frame.of("com.example.Cache", "put", "Cache.java", 47);
    private static final Frame ROOT = Frame.of("com.example.Main", "main", "Main.java", 7);

    private final FrameTable frameTable = new FrameTable(1000);

    @Test
    void writesAValidDeduplicatedProfile() throws Exception {
        StackProfile.ValueType objects = new StackProfile.ValueType("alloc_objects", "count");
        StackProfile.ValueType space = new StackProfile.ValueType("alloc_space", "bytes");
        StackProfile profile = new StackProfile(List.of(objects, space), "alloc_space",
                new StackProfile.ValueType("space", "bytes"), 524288, 1_700_000_000_000_000_000L, 2_000_000_000L,
                List.of(new StackProfile.Sample(List.of(LEAF, ROOT), new long[] {3, 300}),
                        new StackProfile.Sample(List.of(LEAF_OTHER_LINE, ROOT), new long[] {-1, -100})),
                List.of("source: test"));

        ProfileProto.Profile parsed = encodeAndParse(profile);

        List<String> strings = parsed.getStringTableList();
        assertThat(strings.get(0)).isEmpty();
        assertThat(new HashSet<>(strings)).hasSameSizeAs(strings);
        assertThat(parsed.getSampleTypeList()).extracting(t -> strings.get((int) t.getType()) + "/"
                + strings.get((int) t.getUnit())).containsExactly("alloc_objects/count", "alloc_space/bytes");
        assertThat(strings.get((int) parsed.getDefaultSampleType())).isEqualTo("alloc_space");
        assertThat(strings.get((int) parsed.getPeriodType().getType())).isEqualTo("space");
        assertThat(parsed.getPeriod()).isEqualTo(524288);
        assertThat(parsed.getTimeNanos()).isEqualTo(1_700_000_000_000_000_000L);
        assertThat(parsed.getDurationNanos()).isEqualTo(2_000_000_000L);
        assertThat(parsed.getCommentList()).extracting(c -> strings.get(c.intValue())).containsExactly("source: test");

        assertThat(parsed.getSampleList()).extracting(s -> s.getValueList())
                .containsExactly(List.of(3L, 300L), List.of(-1L, -100L));
        // Three distinct frames, but two functions: put (twice, at two lines) and main.
        assertThat(parsed.getLocationCount()).isEqualTo(3);
        assertThat(parsed.getFunctionCount()).isEqualTo(2);
        assertThat(ids(parsed.getLocationList().stream().map(ProfileProto.Location::getId).toList())).hasSize(3);
        assertThat(parsed.getSample(0).getLocationId(1)).isEqualTo(parsed.getSample(1).getLocationId(1));

        ProfileProto.Location leaf = location(parsed, parsed.getSample(0).getLocationId(0));
        assertThat(leaf.getLine(0).getLine()).isEqualTo(42);
        assertThat(leaf.getMappingId()).isEqualTo(1);
        assertThat(leaf.getAddress()).isEqualTo(frameTable.address(LEAF));
        ProfileProto.Function put = parsed.getFunctionList().stream()
                .filter(f -> f.getId() == leaf.getLine(0).getFunctionId()).findFirst().orElseThrow();
        assertThat(strings.get((int) put.getName())).isEqualTo("com.example.Cache.put");
        assertThat(strings.get((int) put.getSystemName())).isEqualTo("com.example.Cache.put");
        assertThat(strings.get((int) put.getFilename())).isEqualTo("com/example/Cache.java");

        ProfileProto.Mapping mapping = parsed.getMapping(0);
        assertThat(mapping.getId()).isEqualTo(1);
        assertThat(strings.get((int) mapping.getFilename())).isEqualTo("app.jar");
        assertThat(mapping.getHasFunctions()).isTrue();
        assertThat(mapping.getHasFilenames()).isTrue();
        assertThat(mapping.getHasLineNumbers()).isTrue();
    }

    @Test
    void streamsLargeProfilesIntact() throws Exception {
        List<StackProfile.Sample> samples = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            Frame frame = Frame.of("com.example.Generated" + i, "run", "Generated.java", i);
            samples.add(new StackProfile.Sample(List.of(frame, ROOT), new long[] {i}));
        }
        StackProfile.ValueType type = new StackProfile.ValueType("x", "count");
        ProfileProto.Profile parsed = encodeAndParse(
                new StackProfile(List.of(type), null, type, 1, 0, 0, samples, List.of()));
        assertThat(parsed.getSampleCount()).isEqualTo(20_000);
        assertThat(parsed.getLocationCount()).isEqualTo(20_001);
        assertThat(parsed.getSample(19_999).getValue(0)).isEqualTo(19_999);
    }

    private ProfileProto.Profile encodeAndParse(StackProfile profile) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ProfileEncoder(frameTable, "app.jar").write(profile, out);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            return ProfileProto.Profile.parseFrom(in);
        }
    }

    private static ProfileProto.Location location(ProfileProto.Profile profile, long id) {
        return profile.getLocationList().stream().filter(l -> l.getId() == id).findFirst().orElseThrow();
    }

    private static Set<Long> ids(List<Long> ids) {
        assertThat(ids).doesNotContain(0L);
        return new HashSet<>(ids);
    }
}
