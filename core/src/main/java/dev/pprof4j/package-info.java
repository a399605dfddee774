/**
 * pprof4j serves a running JVM's profiles over HTTP in the format the pprof
 * tools read, as Go's {@code net/http/pprof} serves a Go program's: same
 * paths, parameters, status codes and messages.
 *
 * <p>To use it, mount a {@link dev.pprof4j.PprofHandler} below
 * {@code /debug/pprof/} (the servlet, Spring Boot and Javalin adapters do it
 * in one line) and read the profiles with {@code go tool pprof}, or any
 * pprof viewer or scraper. To look at the heap profile:
 *
 * <pre>
 * go tool pprof http://localhost:8080/debug/pprof/heap
 * </pre>
 *
 * <p>Or at a 30-second CPU profile:
 *
 * <pre>
 * go tool pprof http://localhost:8080/debug/pprof/profile?seconds=30
 * </pre>
 *
 * <p>Or at the stacks that wait for contended locks:
 *
 * <pre>
 * go tool pprof http://localhost:8080/debug/pprof/mutex
 * </pre>
 *
 * <p>Or to collect a 5-second JFR recording, Java's counterpart of Go's
 * execution trace, for JDK Mission Control:
 *
 * <pre>
 * curl -o trace.jfr http://localhost:8080/debug/pprof/trace?seconds=5
 * </pre>
 *
 * <p>To view all available profiles, open {@code /debug/pprof/} in a browser.
 *
 * <h2>Endpoints</h2>
 *
 * <ul>
 *   <li>{@code /} — the index: every profile with its count and description,
 *       and the {@code go tool pprof} commands for this server.
 *   <li>{@code allocs} — a sampling of all past allocations since the handler
 *       (or its {@link dev.pprof4j.PprofSamplers}) started, with the live
 *       objects' sample types beside them.
 *   <li>{@code heap} — a sampling of the live objects: in-use bytes and objects
 *       by allocation stack. {@code gc=1} collects first and shares each
 *       class's exact live bytes among the stacks that hold it; without it,
 *       the figures are as of the last collection.
 *   <li>{@code goroutine} — the stacks of the JVM's live threads, virtual
 *       ones included on JDK 21 and later; {@code debug=2} is a jstack-like
 *       dump.
 *   <li>{@code goroutineleak} — the threads that can never proceed: those
 *       deadlocked on monitors or {@code java.util.concurrent} locks.
 *   <li>{@code threadcreate} — the stacks that started threads.
 *   <li>{@code mutex} — the stacks that waited for contended locks
 *       ({@code synchronized} and {@code java.util.concurrent} locks).
 *   <li>{@code block} — the stacks that blocked: parking, {@code wait},
 *       {@code sleep}.
 *   <li>{@code profile} — a CPU profile for {@code seconds} (30 by default).
 *   <li>{@code trace} — a JFR recording of the next {@code seconds} (a
 *       decimal, 1 by default), served as {@code trace.jfr}.
 *   <li>{@code cmdline} — the JVM's command line, NUL-separated, with secrets
 *       redacted.
 *   <li>{@code symbol} — names for the addresses of the text profiles, as
 *       {@code go tool pprof} asks for them (GET query or POST body).
 *   <li>the application's own {@link dev.pprof4j.CustomProfile}s, by name.
 *   <li>{@code delta_heap}, {@code delta_mutex}, {@code delta_block} — as
 *       grafana/pyroscope-go's {@code godeltaprof} serves them for Grafana
 *       Alloy: the change since the previous request to the same path, by
 *       any client (counters as deltas, {@code inuse_*} as of now; the first
 *       since sampling began). Not on the index, as in Go; one scraper per
 *       path, since two would each see only part of the changes.
 * </ul>
 *
 * <h2>Parameters</h2>
 *
 * <ul>
 *   <li>{@code debug=1} — Go's legacy text format, which pprof also reads;
 *       {@code debug=2} on {@code goroutine}, the thread dump. Without it,
 *       a gzip'd {@code profile.proto}.
 *   <li>{@code seconds=N} — on the named profiles: the change over the next N
 *       seconds, two snapshots apart ({@code heap-delta}); on {@code profile}
 *       and {@code trace}, how long to record. At most
 *       {@link dev.pprof4j.PprofOptions#maxProfileDuration()}, and at most
 *       {@link dev.pprof4j.PprofOptions#maxConcurrentProfiles()} at once.
 *   <li>{@code gc=1} — on {@code heap} and {@code delta_heap}: a full
 *       collection first.
 * </ul>
 *
 * <p>Frames are named {@code com.example.Class.method}, files
 * {@code com/example/Class.java}, so {@code -focus=method}, {@code -lines}
 * and {@code -list} work as on Go code. Only this machine's own clients are
 * answered until {@link dev.pprof4j.PprofOptions} names others; secrets in
 * the command line and properties are redacted.
 *
 * <h2>Layers</h2>
 *
 * <p>One flat package; the layers show in the names:
 *
 * <ul>
 *   <li>HTTP: {@link dev.pprof4j.PprofHandler} checks access and routes by
 *       path through {@code Endpoints}, one {@code …Endpoint} class per path
 *       ({@code ProfileEndpoint} for every named profile,
 *       {@code DeltaProfileEndpoint} for godeltaprof's); adapters hand it
 *       each request as a {@link dev.pprof4j.PprofExchange}.
 *   <li>Profiles: {@code Profiles} holds them and their sampling lifecycle;
 *       each is a {@code NamedProfile} ({@code HeapProfile},
 *       {@code ThreadProfile}, {@code ContentionProfile}, ...) that takes a
 *       {@code StackProfile} snapshot.
 *   <li>JFR sources: {@code SharedRecordingStream}, one stream per JVM, feeds
 *       {@code AllocationSampler}, {@code LiveObjectSampler},
 *       {@code CpuProfiler} and the rest; {@code HeapData} and
 *       {@code InUseEstimate} make the heap figures.
 *   <li>Encoders: {@code ProfileEncoder} writes {@code profile.proto},
 *       {@code LegacyTextFormat} and {@code HeapProfileText} Go's text.
 * </ul>
 *
 * <p>{@link dev.pprof4j.PprofOptions} configures a handler; everything not
 * public is internal.
 */
package dev.pprof4j;
