/**
 * pprof4j for Spring Boot: add {@code pprof4j-spring-boot-starter} and a
 * servlet web application serves Go's {@code /debug/pprof/} endpoints,
 * configured under {@code pprof4j.*} ({@link dev.pprof4j.spring.PprofProperties}).
 * Read profiles with {@code go tool pprof http://host:port/debug/pprof/heap}.
 */
package dev.pprof4j.spring;
