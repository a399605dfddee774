/**
 * pprof4j: Go's {@code net/http/pprof} for the JVM.
 *
 * <p>{@link dev.pprof4j.PprofHandler} serves, below a mount point such as
 * {@code /debug/pprof/}:
 *
 * <ul>
 *   <li>{@code /} — an index of the profiles with their counts and descriptions;
 *   <li>{@code goroutine} — the JVM's live threads by stack;
 *   <li>{@code cmdline} — the JVM's command line, NUL-separated, secrets redacted;
 *   <li>{@code symbol} — names for the addresses in the text profiles;
 *   <li>the user's own {@link dev.pprof4j.CustomProfile}s.
 * </ul>
 *
 * <p>How to read them: {@code go tool pprof http://host:port/debug/pprof/goroutine}
 * (or any pprof viewer) for the protobuf form, the default; {@code ?debug=1}
 * for Go's text form, which pprof also reads; {@code ?debug=2} on
 * {@code goroutine} for a jstack-like dump; {@code ?seconds=N} for the change
 * over N seconds. Frames are named {@code com.example.Class.method}, files
 * {@code com/example/Class.java}, so {@code -focus=method} and {@code -lines}
 * work as on Go code.
 *
 * <p>Framework adapters implement {@link dev.pprof4j.PprofExchange} and hand
 * each request to the handler; {@link dev.pprof4j.PprofOptions} configures
 * it. Everything else in this package is internal.
 */
package dev.pprof4j;
