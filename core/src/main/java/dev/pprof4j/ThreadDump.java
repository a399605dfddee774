package dev.pprof4j;

import java.io.PrintWriter;
import java.lang.management.LockInfo;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The {@code goroutine?debug=2} text: every thread with its full stack, what
 * a Java engineer knows from {@code jstack}, laid out as Go's dump is (one
 * block per thread, a header ending in {@code ]:}, blocks separated by one
 * blank line):
 *
 * <pre>
 * "worker-1" #23 daemon prio=5 [WAITING]:
 * 	at java.base/jdk.internal.misc.Unsafe.park(Native Method)
 * 	- parking to wait for &lt;0x1b6d3586&gt; (a java.util.concurrent.locks.ReentrantLock$NonfairSync) owned by "worker-2" #24
 * 	at java.base/java.util.concurrent.locks.LockSupport.park(LockSupport.java:211)
 * 	- locked &lt;0x4554617c&gt; (a com.example.Cache)
 * 	Locked ownable synchronizers:
 * 	- &lt;0x74a14482&gt; (a java.util.concurrent.locks.ReentrantLock$NonfairSync)
 * </pre>
 *
 * <p>Virtual threads follow the platform threads, marked {@code virtual}, with
 * their carrier while mounted (the state and carrier where the JDK's dump
 * gives them, 25 and later):
 *
 * <pre>
 * "" #1043 virtual [RUNNABLE, mounted on #31]:
 * 	at com.example.Orders.fetch(Orders.java:42)
 * 	at java.lang.VirtualThread.run(VirtualThread.java:466)
 * </pre>
 */
final class ThreadDump {

    private ThreadDump() {
    }

    static void write(ThreadInfo[] infos, PrintWriter out) {
        ThreadInfo[] sorted = Arrays.stream(infos)
                .filter(info -> info != null)
                .sorted(Comparator.comparingLong(ThreadInfo::getThreadId))
                .toArray(ThreadInfo[]::new);
        for (int i = 0; i < sorted.length; i++) {
            if (i > 0) {
                out.print("\n");
            }
            writeThread(sorted[i], out);
        }
    }

    /** One virtual thread, after the platform threads and the others before it. */
    static void write(VirtualThreadDump.VirtualThread thread, PrintWriter out) {
        out.print("\n\"" + oneLine(thread.name()) + "\" #" + thread.id() + " virtual ["
                + (thread.state() == null ? "unknown" : thread.state())
                + (thread.carrier() >= 0 ? ", mounted on #" + thread.carrier() : "") + "]:\n");
        for (StackTraceElement element : thread.stack()) {
            out.print("\tat " + frame(element) + "\n");
        }
    }

    private static void writeThread(ThreadInfo info, PrintWriter out) {
        out.print("\"" + oneLine(info.getThreadName()) + "\" #" + info.getThreadId()
                + (info.isDaemon() ? " daemon" : "") + " prio=" + info.getPriority()
                + " [" + info.getThreadState()
                + (info.isInNative() ? ", in native" : "")
                + (info.isSuspended() ? ", suspended" : "") + "]:\n");
        StackTraceElement[] stack = info.getStackTrace();
        MonitorInfo[] monitors = info.getLockedMonitors();
        for (int depth = 0; depth < stack.length; depth++) {
            out.print("\tat " + frame(stack[depth]) + "\n");
            if (depth == 0 && info.getLockInfo() != null) {
                out.print("\t- " + waitVerb(info, stack[0]) + " " + lock(info.getLockInfo())
                        + owner(info) + "\n");
            }
            for (MonitorInfo monitor : monitors) {
                if (monitor.getLockedStackDepth() == depth) {
                    out.print("\t- locked " + lock(monitor) + "\n");
                }
            }
        }
        LockInfo[] synchronizers = info.getLockedSynchronizers();
        if (synchronizers.length > 0) {
            out.print("\tLocked ownable synchronizers:\n");
            for (LockInfo synchronizer : synchronizers) {
                out.print("\t- " + lock(synchronizer) + "\n");
            }
        }
    }

    private static String waitVerb(ThreadInfo info, StackTraceElement top) {
        switch (info.getThreadState()) {
            case BLOCKED:
                return "waiting to lock";
            case WAITING:
            case TIMED_WAITING:
                return top.getMethodName().equals("park") ? "parking to wait for" : "waiting on";
            default:
                return "waiting for";
        }
    }

    private static String owner(ThreadInfo info) {
        return info.getLockOwnerName() == null ? ""
                : " owned by \"" + oneLine(info.getLockOwnerName()) + "\" #" + info.getLockOwnerId();
    }

    /** A frame as jstack prints it: {@code java.lang.Thread.run(java.base@17.0.15/Thread.java:840)}. */
    private static String frame(StackTraceElement element) {
        String module = element.getModuleName() == null ? ""
                : element.getModuleName()
                        + (element.getModuleVersion() == null ? "" : "@" + element.getModuleVersion()) + "/";
        String location;
        if (element.isNativeMethod()) {
            location = "Native Method";
        } else if (element.getFileName() == null) {
            location = "Unknown Source";
        } else {
            location = element.getFileName()
                    + (element.getLineNumber() >= 0 ? ":" + element.getLineNumber() : "");
        }
        return element.getClassName() + "." + element.getMethodName() + "(" + module + location + ")";
    }

    /**
     * Thread names may hold line breaks, the dump keeps one line per header;
     * and secrets (a connection pool named after its URL), redacted.
     */
    private static String oneLine(String name) {
        return Redaction.text(name.replace('\n', ' ').replace('\r', ' '));
    }

    private static String lock(LockInfo lock) {
        return String.format("<0x%08x> (a %s)", lock.getIdentityHashCode(), lock.getClassName());
    }
}
