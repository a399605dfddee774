package dev.pprof4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A profile of your own, served next to the built-in ones: the counterpart of
 * Go's {@code pprof.NewProfile}. It tracks a set of values, each with the
 * stack that added it — typically resources that must be released, so a leak
 * of them shows who acquired them:
 *
 * <pre>{@code
 * static final CustomProfile OPEN_FILES = new CustomProfile("example.com/openfiles");
 *
 * Handle open(Path path) {
 *     Handle handle = ...;
 *     OPEN_FILES.add(handle);      // records the caller's stack
 *     return handle;
 * }
 * void close(Handle handle) { OPEN_FILES.remove(handle); ... }
 *
 * new PprofHandler(PprofOptions.builder().profile(OPEN_FILES).build());
 * }</pre>
 *
 * <p>It is then served at {@code /debug/pprof/example.com/openfiles} with the
 * sample type {@code example.com/openfiles/count}, in protobuf or
 * {@code ?debug=1} text. Values are compared with {@code equals} and held
 * strongly until removed, as Go does. Thread-safe.
 */
public final class CustomProfile {

    private final String name;
    private final int stackDepth;
    private final Map<Object, List<Frame>> entries = new HashMap<>();

    /**
     * @param name the profile's name and path under the mount point; it may
     *     contain dots and slashes ({@code example.com/openfiles})
     * @throws IllegalArgumentException if the name is empty, or starts or ends with a slash
     */
    public CustomProfile(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.startsWith("/") || name.endsWith("/")) {
            throw new IllegalArgumentException("invalid profile name: \"" + name + "\"");
        }
        this.name = name;
        this.stackDepth = PprofOptions.DEFAULT_STACK_DEPTH;
    }

    /** The profile's name, as given. */
    public String name() {
        return name;
    }

    /**
     * Adds a value with the stack of the caller of {@code add}.
     *
     * @throws IllegalArgumentException if the value is already in the profile
     */
    public void add(Object value) {
        put(value, callerStack(0));
    }

    /**
     * Adds a value with a stack that begins {@code skip} frames above the
     * caller of {@code add}, as Go's {@code Profile.Add}: 0 begins at the
     * caller, 1 at its caller (for helpers that add values for their callers).
     *
     * @throws IllegalArgumentException if the value is already in the profile
     */
    public void add(Object value, int skip) {
        put(value, callerStack(Math.max(skip, 0)));
    }

    /** Frames from the caller of the public {@code add} outwards, {@code skip} more left out. */
    private List<Frame> callerStack(int skip) {
        // Leaves out this method and the add(...) overload that called it.
        return StackWalker.getInstance().walk(frames -> frames
                .skip(2L + skip)
                .limit(stackDepth)
                .map(f -> Frame.of(f.getClassName(), f.getMethodName(), f.getFileName(), f.getLineNumber()))
                .toList());
    }

    private void put(Object value, List<Frame> stack) {
        Objects.requireNonNull(value, "value");
        synchronized (entries) {
            if (entries.containsKey(value)) {
                throw new IllegalArgumentException("CustomProfile.add of a value already in " + name);
            }
            entries.put(value, stack);
        }
    }

    /** Removes a value; does nothing if it is not in the profile. */
    public void remove(Object value) {
        synchronized (entries) {
            entries.remove(value);
        }
    }

    /** How many values the profile holds. */
    public int count() {
        synchronized (entries) {
            return entries.size();
        }
    }

    NamedProfile served() {
        return new NamedProfile() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return "";
            }

            @Override
            public long count() {
                return CustomProfile.this.count();
            }

            @Override
            public boolean supportsDelta() {
                return false;
            }

            @Override
            public StackProfile snapshot() {
                List<LabelledStack> stacks = new ArrayList<>();
                synchronized (entries) {
                    entries.values().forEach(stack -> stacks.add(LabelledStack.of(stack)));
                }
                return StackProfile.counts(name, stacks);
            }
        };
    }
}
