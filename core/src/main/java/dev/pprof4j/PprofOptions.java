package dev.pprof4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How a {@link PprofHandler} profiles and serves; immutable, built once.
 *
 * <pre>{@code
 * PprofOptions options = PprofOptions.builder()
 *         .stackDepth(128)
 *         .maxProfileDuration(Duration.ofMinutes(2))
 *         .profile(OPEN_FILES)
 *         .build();
 * }</pre>
 */
public final class PprofOptions {

    /**
     * What a handler samples for as long as it lives, each of which can be
     * turned off ({@link Builder#samplersOff}) to save its cost, which
     * docs/benchmarks.md measures. A profile whose sampler is off is still
     * listed, and answers 503 saying so. CPU profiles and traces sample only
     * while a request asks for them, and need no switch.
     */
    public enum Sampler {
        /** Allocation samples and JFR's leak profiler: {@code heap}, {@code allocs}, {@code delta_heap}. */
        HEAP,
        /**
         * JFR's leak profiler alone: without it, {@code heap} still counts allocations by stack, but its
         * in-use bytes go to one row, or with {@code gc=1} to one row per class.
         */
        LIVE_OBJECTS,
        /** Waits for monitors, locks and conditions: {@code mutex}, {@code block} and their delta paths. */
        CONTENTION,
        /** Thread starts: {@code threadcreate}. */
        THREAD_CREATION
    }

    static final int DEFAULT_STACK_DEPTH = 64;
    static final Duration DEFAULT_MAX_PROFILE_DURATION = Duration.ofMinutes(10);
    static final int DEFAULT_MAX_CONCURRENT_PROFILES = 8;
    static final int DEFAULT_ALLOCATION_SAMPLES_PER_SECOND = 300;
    static final int DEFAULT_MAX_STACKS = 4096;
    static final int MAX_STACKS_LIMIT = 15_000;
    static final Duration DEFAULT_CONTENTION_THRESHOLD = Duration.ofMillis(10);
    static final Duration DEFAULT_CPU_SAMPLING_PERIOD = Duration.ofMillis(10);

    private final int stackDepth;
    private final Duration maxProfileDuration;
    private final int maxConcurrentProfiles;
    private final int allocationSamplesPerSecond;
    private final int maxStacks;
    private final Duration contentionThreshold;
    private final Duration cpuSamplingPeriod;
    private final List<String> allowedAddresses;
    private final List<String> trustedProxies;
    private final List<CustomProfile> profiles;
    private final Set<Sampler> samplersOff;
    private final boolean routeLabels;

    private PprofOptions(Builder builder) {
        this.stackDepth = builder.stackDepth;
        this.maxProfileDuration = builder.maxProfileDuration;
        this.maxConcurrentProfiles = builder.maxConcurrentProfiles;
        this.allocationSamplesPerSecond = builder.allocationSamplesPerSecond;
        this.maxStacks = builder.maxStacks;
        this.contentionThreshold = builder.contentionThreshold;
        this.cpuSamplingPeriod = builder.cpuSamplingPeriod;
        this.allowedAddresses = List.copyOf(builder.allowedAddresses);
        this.trustedProxies = List.copyOf(builder.trustedProxies);
        this.profiles = List.copyOf(builder.profiles);
        this.samplersOff = Collections.unmodifiableSet(EnumSet.copyOf(builder.samplersOff));
        this.routeLabels = builder.routeLabels;
    }

    /**
     * The defaults: stack depth 64, profiles of at most 10 minutes, at most 8
     * of them at once, 300 allocation samples a second, 4096 distinct stacks
     * per profile, waits of 10 ms and longer in mutex and block, a CPU sample
     * every 10 ms, requests answered from this machine's own loopback client
     * only, no custom profiles, every sampler on, requests labelled with
     * their routes.
     */
    public static PprofOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The most frames kept per stack, innermost first; deeper stacks are cut. */
    public int stackDepth() {
        return stackDepth;
    }

    /**
     * The longest {@code seconds} a request may ask for; longer requests are
     * refused with Go's 400 for a duration beyond the server's write timeout.
     */
    public Duration maxProfileDuration() {
        return maxProfileDuration;
    }

    /**
     * How many profiles that take time may run at once: CPU profiles,
     * traces and {@code ?seconds=N} deltas together, 8 by default: enough for
     * two fleet scrapers that each hold a CPU profile open most of the time
     * and one that asks for every profile as {@code seconds=N} (Alloy with
     * {@code delta = true}), with room left for people. More are
     * refused: a CPU profile with Go's 500 for a second CPU profile, the
     * others with 503.
     */
    public int maxConcurrentProfiles() {
        return maxConcurrentProfiles;
    }

    /**
     * How many allocations a second JFR samples ({@code jdk.ObjectAllocationSample}'s
     * throttle). Allocated bytes are counted exactly per thread and only split
     * among a thread's stacks by its samples, so the rate sets how fine that
     * split is, and the cost, not the totals; docs/benchmarks.md has the
     * measured cost.
     */
    public int allocationSamplesPerSecond() {
        return allocationSamplesPerSecond;
    }

    /**
     * The most distinct stacks a sampled profile keeps; the samples of any
     * further stack are summed in one {@code [truncated: stacks beyond maxStacks]} entry.
     * Each kept stack costs about as much memory as docs/heap-profiling.md says.
     * At most {@value #MAX_STACKS_LIMIT}: with the few hundred rows a heap
     * profile adds, every profile stays under the 16,000 samples Pyroscope
     * accepts (docs/fleet.md).
     */
    public int maxStacks() {
        return maxStacks;
    }

    /**
     * The shortest wait {@code mutex} and {@code block} record (JFR's
     * threshold for its lock, park, wait and sleep events); shorter waits are
     * not seen. 10 ms by default, JFR's own {@code profile} setting.
     */
    public Duration contentionThreshold() {
        return contentionThreshold;
    }

    /**
     * How often {@code profile} samples each thread: 10 ms by default, Go's
     * 100 Hz. The profile's {@code period} says what was used.
     */
    public Duration cpuSamplingPeriod() {
        return cpuSamplingPeriod;
    }

    /**
     * Addresses and CIDR ranges (IPv4 and IPv6) whose requests are answered
     * besides this machine's own; {@code "any"} allows every client. Empty by
     * default: only a connection from {@code 127.0.0.1} or {@code ::1} that
     * carries no forwarding header ({@code X-Forwarded-For}, {@code Forwarded},
     * {@code X-Real-IP}, ...) is answered, others get a 403 that says why.
     * Addresses named by a trusted proxy's headers, and trusted proxies that
     * name no client, are judged by this list only, never as local.
     */
    public List<String> allowedAddresses() {
        return allowedAddresses;
    }

    /**
     * Proxies (addresses or CIDR ranges) whose forwarding headers are
     * believed: behind one, the client is the first hop of each header, walked
     * from the proxy back, that is not itself a trusted proxy. None by default:
     * the address the container reports is the client's, and a forwarding
     * header makes the request not local. docs/deployment.md has the rule.
     */
    public List<String> trustedProxies() {
        return trustedProxies;
    }

    /** The user's own profiles, served next to the built-in ones. */
    public List<CustomProfile> profiles() {
        return profiles;
    }

    /** The samplers turned off; none by default. */
    public Set<Sampler> samplersOff() {
        return samplersOff;
    }

    /**
     * Whether the adapters label each request's work with its route and method ({@link RouteLabels}), so that
     * {@code -tagfocus=http.route=/orders/{id}} cuts {@code profile}, {@code allocs} and {@code heap}.
     */
    public boolean routeLabels() {
        return routeLabels;
    }

    boolean samples(Sampler sampler) {
        return samples(samplersOff, sampler);
    }

    /** Whether {@code sampler} runs: it is not off, nor is {@link Sampler#HEAP} where it is the leak profiler. */
    static boolean samples(Set<Sampler> off, Sampler sampler) {
        return !off.contains(sampler) && !(sampler == Sampler.LIVE_OBJECTS && off.contains(Sampler.HEAP));
    }

    /** Builds {@link PprofOptions}; not thread-safe. */
    public static final class Builder {
        private int stackDepth = DEFAULT_STACK_DEPTH;
        private Duration maxProfileDuration = DEFAULT_MAX_PROFILE_DURATION;
        private int maxConcurrentProfiles = DEFAULT_MAX_CONCURRENT_PROFILES;
        private int allocationSamplesPerSecond = DEFAULT_ALLOCATION_SAMPLES_PER_SECOND;
        private int maxStacks = DEFAULT_MAX_STACKS;
        private Duration contentionThreshold = DEFAULT_CONTENTION_THRESHOLD;
        private Duration cpuSamplingPeriod = DEFAULT_CPU_SAMPLING_PERIOD;
        private final List<String> allowedAddresses = new ArrayList<>();
        private final List<String> trustedProxies = new ArrayList<>();
        private final List<CustomProfile> profiles = new ArrayList<>();
        private final Set<Sampler> samplersOff = EnumSet.noneOf(Sampler.class);
        private boolean routeLabels = true;

        private Builder() {
        }

        /** @throws IllegalArgumentException unless 1 ≤ depth ≤ 2048 (JFR's own limit) */
        public Builder stackDepth(int depth) {
            if (depth < 1 || depth > 2048) {
                throw new IllegalArgumentException("stackDepth must be between 1 and 2048: " + depth);
            }
            this.stackDepth = depth;
            return this;
        }

        /** @throws IllegalArgumentException unless at least one second */
        public Builder maxProfileDuration(Duration duration) {
            Objects.requireNonNull(duration, "duration");
            if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("maxProfileDuration must be at least 1s: " + duration);
            }
            this.maxProfileDuration = duration;
            return this;
        }

        /** @throws IllegalArgumentException unless at least 1 */
        public Builder maxConcurrentProfiles(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("maxConcurrentProfiles must be at least 1: " + count);
            }
            this.maxConcurrentProfiles = count;
            return this;
        }

        /** @throws IllegalArgumentException unless 1 ≤ rate ≤ 100,000 */
        public Builder allocationSamplesPerSecond(int rate) {
            if (rate < 1 || rate > 100_000) {
                throw new IllegalArgumentException("allocationSamplesPerSecond must be between 1 and 100000: " + rate);
            }
            this.allocationSamplesPerSecond = rate;
            return this;
        }

        /** @throws IllegalArgumentException unless between 1 and {@value PprofOptions#MAX_STACKS_LIMIT} */
        public Builder maxStacks(int count) {
            if (count < 1 || count > MAX_STACKS_LIMIT) {
                throw new IllegalArgumentException("maxStacks must be between 1 and " + MAX_STACKS_LIMIT + ": " + count);
            }
            this.maxStacks = count;
            return this;
        }

        /** @throws IllegalArgumentException if negative */
        public Builder contentionThreshold(Duration threshold) {
            Objects.requireNonNull(threshold, "threshold");
            if (threshold.isNegative()) {
                throw new IllegalArgumentException("contentionThreshold must not be negative: " + threshold);
            }
            this.contentionThreshold = threshold;
            return this;
        }

        /** @throws IllegalArgumentException unless between 1 ms and 1 s (JFR samples at most every millisecond) */
        public Builder cpuSamplingPeriod(Duration period) {
            Objects.requireNonNull(period, "period");
            if (period.compareTo(Duration.ofMillis(1)) < 0 || period.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("cpuSamplingPeriod must be between 1ms and 1s: " + period);
            }
            this.cpuSamplingPeriod = period;
            return this;
        }

        /**
         * Also answers these addresses and CIDR ranges ({@code 10.0.0.0/8},
         * {@code fd00::/8}), or everyone with {@code "any"}; adds to earlier calls.
         *
         * @throws IllegalArgumentException for an entry that is neither an address literal, a range nor "any"
         */
        public Builder allowedAddresses(String... addressesOrRanges) {
            for (String entry : addressesOrRanges) {
                Objects.requireNonNull(entry, "address");
                if (!entry.trim().equalsIgnoreCase(AccessPolicy.ANY)) {
                    AddressRange.parse(entry);
                }
                allowedAddresses.add(entry.trim());
            }
            return this;
        }

        /**
         * Believes forwarding headers ({@code X-Forwarded-For},
         * {@code Forwarded}, {@code X-Real-IP}, ...) from these proxies
         * (addresses or CIDR ranges); adds to earlier calls.
         *
         * @throws IllegalArgumentException for an entry that is not an address literal or range
         */
        public Builder trustedProxies(String... addressesOrRanges) {
            for (String entry : addressesOrRanges) {
                AddressRange.parse(Objects.requireNonNull(entry, "proxy"));
                trustedProxies.add(entry.trim());
            }
            return this;
        }

        /** Serves a profile of your own; names must be unique among all profiles. */
        public Builder profile(CustomProfile profile) {
            profiles.add(Objects.requireNonNull(profile, "profile"));
            return this;
        }

        /** Turns these samplers off; adds to earlier calls. */
        public Builder samplersOff(Sampler... samplers) {
            for (Sampler sampler : samplers) {
                samplersOff.add(Objects.requireNonNull(sampler, "sampler"));
            }
            return this;
        }

        /** Whether requests are labelled with their routes; on by default. */
        public Builder routeLabels(boolean on) {
            this.routeLabels = on;
            return this;
        }

        public PprofOptions build() {
            return new PprofOptions(this);
        }
    }
}
