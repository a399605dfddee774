package dev.pprof4j.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The output of {@code go tool pprof -raw}, parsed: what the reference client understood. */
public record RawProfile(String periodType, long period, List<String> sampleTypes, List<Sample> samples,
        Map<Long, List<String>> locations) {

    /** One sample: its values and, leaf first, its frames as {@code function file:line}. */
    public record Sample(long[] values, List<String> frames) {
        public boolean hasFrame(String function) {
            return frames.stream().anyMatch(frame -> frame.startsWith(function + " "));
        }
    }

    private static final Pattern SAMPLE = Pattern.compile("^\\s*((?:-?\\d+\\s+)*-?\\d+): ([\\d ]*)$");
    private static final Pattern LOCATION = Pattern.compile("^\\s*(\\d+): 0x[0-9a-f]+ M=\\d+ (.*?)(?: s=\\d+)?$");
    private static final Pattern INLINED = Pattern.compile("^\\s{6,}(\\S.*?)(?: s=\\d+)?$");

    public static RawProfile parse(String raw) {
        String periodType = null;
        long period = 0;
        List<String> sampleTypes = List.of();
        List<long[]> values = new ArrayList<>();
        List<long[]> stacks = new ArrayList<>();
        Map<Long, List<String>> locations = new HashMap<>();
        String section = "";
        Long lastLocation = null;
        for (String line : raw.lines().toList()) {
            if (line.startsWith("PeriodType: ")) {
                periodType = line.substring("PeriodType: ".length());
            } else if (line.startsWith("Period: ")) {
                period = Long.parseLong(line.substring("Period: ".length()).trim());
            } else if (line.equals("Samples:") || line.equals("Locations") || line.equals("Mappings")) {
                section = line;
            } else if (section.equals("Samples:") && sampleTypes.isEmpty()) {
                sampleTypes = List.of(line.trim().replace("[dflt]", "").split("\\s+"));
            } else if (section.equals("Samples:")) {
                Matcher sample = SAMPLE.matcher(line);
                if (sample.matches()) {
                    values.add(longs(sample.group(1)));
                    stacks.add(longs(sample.group(2)));
                }
            } else if (section.equals("Locations")) {
                Matcher location = LOCATION.matcher(line);
                Matcher inlined = INLINED.matcher(line);
                if (location.matches()) {
                    lastLocation = Long.parseLong(location.group(1));
                    locations.computeIfAbsent(lastLocation, id -> new ArrayList<>()).add(location.group(2));
                } else if (inlined.matches() && lastLocation != null) {
                    locations.get(lastLocation).add(inlined.group(1));
                }
            }
        }
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            List<String> frames = new ArrayList<>();
            for (long id : stacks.get(i)) {
                frames.addAll(locations.getOrDefault(id, List.of("<unknown location " + id + ">")));
            }
            samples.add(new Sample(values.get(i), frames));
        }
        return new RawProfile(periodType, period, sampleTypes, samples, locations);
    }

    /** Sum of values of the given type index over the samples containing a frame of {@code function}. */
    public long total(int typeIndex, String function) {
        return samples.stream().filter(s -> s.hasFrame(function)).mapToLong(s -> s.values()[typeIndex]).sum();
    }

    public long total(int typeIndex) {
        return samples.stream().mapToLong(s -> s.values()[typeIndex]).sum();
    }

    private static long[] longs(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            return new long[0];
        }
        String[] parts = trimmed.split("\\s+");
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Long.parseLong(parts[i]);
        }
        return out;
    }
}
