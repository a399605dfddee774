package dev.pprof4j.spring;

import dev.pprof4j.PprofOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * pprof4j's settings under {@code pprof4j.*}. The defaults are
 * {@link PprofOptions}' own, written out as literals: the configuration
 * metadata records a default only from a literal initialiser. The numbers
 * are boxed so that an empty value ({@code pprof4j.stack-depth=}) binds as
 * none and keeps the default, where an {@code int} fails to bind.
 */
@ConfigurationProperties("pprof4j")
public class PprofProperties {

    /** Whether to serve /debug/pprof/ and sample; false switches pprof4j off entirely. */
    private boolean enabled = true;

    /** Where the profiles are served, below the servlet context path. */
    private String path = "/debug/pprof";

    /**
     * Which server answers: the application's, or Actuator's management server, which listens apart when
     * management.server.port differs from the application's port (otherwise it is the application's).
     */
    private Server server = Server.APPLICATION;

    /**
     * Addresses and CIDR ranges (IPv4 and IPv6) whose requests are answered besides the machine's own (127.0.0.1
     * or ::1 without a forwarding header), or "any" where the application's own security stands in front.
     */
    private List<String> allowedAddresses = new ArrayList<>();

    /**
     * Proxies (addresses or CIDR ranges) whose forwarding headers (X-Forwarded-For, Forwarded, X-Real-IP, ...) name
     * the client; none by default.
     */
    private List<String> trustedProxies = new ArrayList<>();

    /** The most frames kept per stack (1 to 2048). */
    private Integer stackDepth = 64;

    /** The longest "seconds" a request may ask for. */
    private Duration maxProfileDuration = Duration.ofMinutes(10);

    /** How many timed profiles (CPU, trace, seconds=N) may run at once. */
    private Integer maxConcurrentProfiles = 8;

    /** JFR allocation samples a second for heap and allocs. */
    private Integer allocationSamplesPerSecond = 300;

    /** The most distinct stacks a profile keeps before it counts the rest in one row. */
    private Integer maxStacks = 4096;

    /** The shortest wait mutex and block record. */
    private Duration contentionThreshold = Duration.ofMillis(10);

    /** How often the CPU profile samples each thread. */
    private Duration cpuSamplingPeriod = Duration.ofMillis(10);

    /**
     * Samplers to turn off, to save their cost: heap (heap and allocs), live-objects (JFR's leak profiler, which
     * shares heap's in-use bytes by stack), contention (mutex and block), thread-creation (threadcreate).
     */
    private List<PprofOptions.Sampler> samplersOff = new ArrayList<>();

    /**
     * Whether each Spring MVC request's work is labelled with its route pattern and method
     * ({@code http.route=/orders/{id}}, {@code http.request.method=GET}), for {@code go tool pprof -tagfocus}.
     */
    private boolean routeLabels = true;

    /** The options these properties describe. */
    public PprofOptions toOptions() {
        return PprofOptions.builder()
                .allowedAddresses(allowedAddresses.toArray(String[]::new))
                .trustedProxies(trustedProxies.toArray(String[]::new))
                .stackDepth(stackDepth)
                .maxProfileDuration(maxProfileDuration)
                .maxConcurrentProfiles(maxConcurrentProfiles)
                .allocationSamplesPerSecond(allocationSamplesPerSecond)
                .maxStacks(maxStacks)
                .contentionThreshold(contentionThreshold)
                .cpuSamplingPeriod(cpuSamplingPeriod)
                .samplersOff(samplersOff.toArray(PprofOptions.Sampler[]::new))
                .routeLabels(routeLabels)
                .build();
    }

    public boolean isRouteLabels() {
        return routeLabels;
    }

    public void setRouteLabels(boolean routeLabels) {
        this.routeLabels = routeLabels;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Server getServer() {
        return server;
    }

    public void setServer(Server server) {
        this.server = server;
    }

    public String getPath() {
        return path;
    }

    /** @throws IllegalArgumentException unless a path below the root, such as {@code /debug/pprof} */
    public void setPath(String path) {
        if (!path.startsWith("/") || path.replace("/", "").isEmpty()) {
            throw new IllegalArgumentException("pprof4j.path must start with / and name a path below the root,"
                    + " such as /debug/pprof; was \"" + path + "\"");
        }
        this.path = path;
    }

    public List<String> getAllowedAddresses() {
        return allowedAddresses;
    }

    public void setAllowedAddresses(List<String> allowedAddresses) {
        this.allowedAddresses = allowedAddresses;
    }

    public List<String> getTrustedProxies() {
        return trustedProxies;
    }

    public void setTrustedProxies(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    public Integer getStackDepth() {
        return stackDepth;
    }

    public void setStackDepth(Integer stackDepth) {
        this.stackDepth = stackDepth;
    }

    public Duration getMaxProfileDuration() {
        return maxProfileDuration;
    }

    public void setMaxProfileDuration(Duration maxProfileDuration) {
        this.maxProfileDuration = maxProfileDuration;
    }

    public Integer getMaxConcurrentProfiles() {
        return maxConcurrentProfiles;
    }

    public void setMaxConcurrentProfiles(Integer maxConcurrentProfiles) {
        this.maxConcurrentProfiles = maxConcurrentProfiles;
    }

    public Integer getAllocationSamplesPerSecond() {
        return allocationSamplesPerSecond;
    }

    public void setAllocationSamplesPerSecond(Integer allocationSamplesPerSecond) {
        this.allocationSamplesPerSecond = allocationSamplesPerSecond;
    }

    public Integer getMaxStacks() {
        return maxStacks;
    }

    public void setMaxStacks(Integer maxStacks) {
        this.maxStacks = maxStacks;
    }

    public Duration getContentionThreshold() {
        return contentionThreshold;
    }

    public void setContentionThreshold(Duration contentionThreshold) {
        this.contentionThreshold = contentionThreshold;
    }

    public Duration getCpuSamplingPeriod() {
        return cpuSamplingPeriod;
    }

    public void setCpuSamplingPeriod(Duration cpuSamplingPeriod) {
        this.cpuSamplingPeriod = cpuSamplingPeriod;
    }

    public List<PprofOptions.Sampler> getSamplersOff() {
        return samplersOff;
    }

    public void setSamplersOff(List<PprofOptions.Sampler> samplersOff) {
        this.samplersOff = samplersOff;
    }

    /** The server that answers pprof's requests. */
    public enum Server {
        /** The application's own server, beside its other endpoints. */
        APPLICATION,
        /** Spring Boot Actuator's management server ({@code management.server.port}), beside Actuator's endpoints. */
        MANAGEMENT
    }
}
