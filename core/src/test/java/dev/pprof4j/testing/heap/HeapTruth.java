package dev.pprof4j.testing.heap;

import dev.pprof4j.testing.GoPprof;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One shape's heap and allocation profiles, as {@code go tool pprof} reads them
 * from a served handler, beside the truth measured from the JVM: the live heap
 * after a full collection with each leak held minus the same after it is
 * released, and each site's bytes from the allocating thread's own counter.
 */
public final class HeapTruth {

    /** One site: its in-use and allocated bytes as profiled and as measured (in-use truth 0 for garbage). */
    public record Site(String function, boolean leak, long inUse, long inUseTruth, long allocSpace,
            long allocTruth) {
    }

    /** What one run of a shape measured; {@code ownInUse} is the in-use bytes of the shape's own code. */
    public record Reading(String shape, long ownInUse, List<Site> sites) {

        public double leakShare() {
            return (double) sites.stream().filter(Site::leak).mapToLong(Site::inUse).sum() / ownInUse;
        }

        /** All leaks' in-use bytes over all leaks' truth. */
        public double inUseOverTruth() {
            return (double) sites.stream().filter(Site::leak).mapToLong(Site::inUse).sum()
                    / sites.stream().filter(Site::leak).mapToLong(Site::inUseTruth).sum();
        }

        public double share(Site site) {
            return (double) site.inUse() / ownInUse;
        }

        public double maxGarbageShare() {
            return sites.stream().filter(site -> !site.leak()).mapToDouble(this::share).max().orElse(0);
        }

        /** The first leak's in-use bytes over the second's, profiled and true; NaN with one leak. */
        public double[] ratio() {
            List<Site> leaks = sites.stream().filter(Site::leak).toList();
            if (leaks.size() < 2) {
                return new double[] {Double.NaN, Double.NaN};
            }
            return new double[] {(double) leaks.get(0).inUse() / leaks.get(1).inUse(),
                    (double) leaks.get(0).inUseTruth() / leaks.get(1).inUseTruth()};
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(String.format(
                    "%s: leak share %.3f, in-use/truth %.3f, own in-use %d", shape, leakShare(), inUseOverTruth(),
                    ownInUse));
            for (Site site : sites) {
                text.append(String.format("%n  %s %s: in-use %d (share %.3f, truth %d), alloc %d (truth %d, %.3f)",
                        site.leak() ? "leak" : "garbage", site.function(), site.inUse(), share(site),
                        site.inUseTruth(), site.allocSpace(), site.allocTruth(),
                        (double) site.allocSpace() / site.allocTruth()));
            }
            return text.toString();
        }
    }

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    // With every node shown (-nodefraction=0), the nodes account for every byte the focus kept.
    private static final Pattern SHOWN = Pattern.compile("Showing nodes accounting for (\\d+)B?, ");
    private static final Pattern ROW = Pattern.compile("^\\s*(\\d+)B?\\s+\\S+%\\s+\\S+%\\s+(\\d+)B?\\s+\\S+%\\s+(.+)$");

    private HeapTruth() {
    }

    /**
     * Runs {@code shape}, reads its profiles from the handler at {@code pprof}
     * ({@code http://host:port/debug/pprof}), then releases its leaks one by one.
     */
    public static Reading measure(LeakShape shape, String pprof) throws Exception {
        shape.run();
        Top inUse = top(shape.focus(), "-sample_index=inuse_space", pprof + "/heap?gc=1");
        Top allocs = top(null, "-sample_index=alloc_space", pprof + "/allocs");
        Map<String, Long> allocated = shape.allocatedBytes();
        Map<String, Long> truth = new LinkedHashMap<>();
        long held = liveHeap();
        for (String leak : shape.leakSites()) {
            shape.release(leak);
            long released = liveHeap();
            truth.put(leak, held - released);
            held = released;
        }
        List<Site> sites = new ArrayList<>();
        for (String function : shape.sites()) {
            sites.add(new Site(function, truth.containsKey(function), inUse.cum(function),
                    truth.getOrDefault(function, 0L), allocs.cum(function), allocated.get(function)));
        }
        return new Reading(shape.name(), inUse.total(), sites);
    }

    /** The heap's used bytes after full collections, repeated until two agree within 0.1%. */
    static long liveHeap() {
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long used = MEMORY.getHeapMemoryUsage().getUsed();
            if (Math.abs(used - previous) <= previous / 1000) {
                return Math.min(used, previous);
            }
            previous = used;
        }
        return previous;
    }

    /** {@code go tool pprof -top -cum}'s table in bytes, focused on {@code focus} where not null. */
    private static Top top(String focus, String sampleIndex, String url) throws Exception {
        List<String> args = new ArrayList<>(
                List.of("-top", "-cum", "-unit=B", "-nodefraction=0", "-nodecount=100000", sampleIndex));
        if (focus != null) {
            args.add("-focus=" + focus);
        }
        args.add(url);
        GoPprof.Run run = GoPprof.run(args.toArray(String[]::new));
        if (run.exitCode() != 0) {
            throw new IllegalStateException("go tool pprof " + args + " failed: " + run.stderr());
        }
        return Top.parse(run.stdout());
    }

    /** The rows of {@code -top -cum}: cumulative bytes per function, and the total of the focused samples. */
    private record Top(long total, Map<String, Long> cum) {

        static Top parse(String text) {
            Matcher shown = SHOWN.matcher(text);
            if (!shown.find()) {
                throw new IllegalStateException("no total in: " + text);
            }
            Map<String, Long> cum = new LinkedHashMap<>();
            for (String line : text.lines().toList()) {
                Matcher row = ROW.matcher(line);
                if (row.matches()) {
                    // A function is a row of its own where the JIT inlined it: both are the function.
                    String function = row.group(3).trim().replace(" (inline)", "");
                    cum.merge(function, Long.parseLong(row.group(2)), Long::sum);
                }
            }
            return new Top(Long.parseLong(shown.group(1)), cum);
        }

        long cum(String function) {
            return cum.getOrDefault(function, 0L);
        }
    }
}
