/**
 * {@link dev.pprof4j.servlet.PprofServlet}: pprof4j's {@code /debug/pprof/}
 * endpoints in any Jakarta Servlet 6 container. Map it to
 * {@code /debug/pprof/*} and read profiles with
 * {@code go tool pprof http://host:port/<context>/debug/pprof/goroutine}.
 */
package dev.pprof4j.servlet;
