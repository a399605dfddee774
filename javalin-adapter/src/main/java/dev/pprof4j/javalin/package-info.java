/**
 * {@link dev.pprof4j.javalin.PprofPlugin}: pprof4j's {@code /debug/pprof/}
 * endpoints in a Javalin 7 application. Register it with
 * {@code config.registerPlugin(new PprofPlugin())} and read profiles with
 * {@code go tool pprof http://host:port/debug/pprof/goroutine}.
 */
package dev.pprof4j.javalin;
