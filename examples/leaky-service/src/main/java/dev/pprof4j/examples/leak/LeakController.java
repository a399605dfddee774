package dev.pprof4j.examples.leak;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.util.List;
import javax.management.JMException;
import javax.management.ObjectName;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The leak's size as the heap itself measures it, for the demo to set
 * beside the heap profile: {@code POST /leak/release} removes the timers
 * registered per request from the registry and answers
 * {@code timers=N bytes=B}, where B is the live heap after a full
 * collection with them, minus the same after their removal. It ends the
 * leak so far, so the demo asks for it last. (Its own request registers
 * one more timer, after the measurement.)
 */
@RestController
class LeakController {

    private final MeterRegistry registry;

    LeakController(MeterRegistry registry) {
        this.registry = registry;
    }

    @PostMapping("/leak/release")
    synchronized String release() throws JMException {
        long held = liveHeap();
        int timers = removeLeakedTimers();
        long released = liveHeap();
        return "timers=" + timers + " bytes=" + (held - released) + "\n";
    }

    /** Removes the leaky filter's timers, tagged per request (the fixed one's has no tag); keeps no reference. */
    private int removeLeakedTimers() {
        List<Meter> leaked = List.copyOf(registry.find(RequestTimingFilter.METER).tagKeys("request").meters());
        leaked.forEach(registry::remove);
        return leaked.size();
    }

    /** Live bytes after a full collection, exactly: the total of the JVM's class histogram, which collects first. */
    private static long liveHeap() throws JMException {
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        // The last line: "Total <instances> <bytes>".
        String[] total = histogram.strip().substring(histogram.strip().lastIndexOf('\n') + 1).trim().split("\\s+");
        return Long.parseLong(total[2]);
    }
}
