package dev.pprof4j;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * A profile of {@link PprofSamplers}, served under its name from the start
 * while the samplers may still be starting: a request waits for them
 * ({@link PprofSamplers#awaitStarted()}), the index counts 0 until then.
 */
final class SampledProfile implements NamedProfile {

    private final String name;
    private final PprofSamplers samplers;
    private volatile NamedProfile profile;

    /** @param name {@code heap}, {@code allocs}, {@code threadcreate}, {@code mutex} or {@code block} */
    SampledProfile(String name, PprofSamplers samplers) {
        this.name = name;
        this.samplers = samplers;
    }

    /** The profile once the samplers have started; throws what {@link PprofSamplers#awaitStarted()} throws. */
    private NamedProfile profile() throws InterruptedException {
        NamedProfile started = profile;
        if (started == null) {
            samplers.awaitStarted();
            // A switch rather than a function per profile: each lambda would cost a handler's creation a class.
            started = switch (name) {
                case "heap" -> HeapProfile.heap(samplers.heap());
                case "allocs" -> HeapProfile.allocs(samplers.heap());
                case "threadcreate" -> samplers.threadCreation();
                case "mutex" -> samplers.mutex();
                case "block" -> samplers.block();
                default -> throw new IllegalArgumentException(name);
            };
            profile = started;
        }
        return started;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return Descriptions.of(name);
    }

    @Override
    public long count() {
        if (profile == null && !samplers.hasStarted()) {
            return 0;
        }
        try {
            return profile().count();
        } catch (JfrUnavailableException | SamplingStoppedException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    @Override
    public boolean supportsDelta() {
        return true;
    }

    @Override
    public StackProfile snapshot() throws IOException, InterruptedException {
        return profile().snapshot();
    }

    @Override
    public NamedProfile afterFullCollection() throws InterruptedException {
        return profile().afterFullCollection();
    }

    @Override
    public void writeText(int debug, FrameTable frameTable, PrintWriter out) throws IOException, InterruptedException {
        profile().writeText(debug, frameTable, out);
    }
}
