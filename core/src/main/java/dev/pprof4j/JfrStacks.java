package dev.pprof4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;

/**
 * Turns JFR stack traces into {@link Frame} lists, leaf first.
 *
 * <p>JFR records class, method and line but no source file; the file is
 * taken to be the top-level class's name with {@code .java}, which is right
 * for Java sources (not always for other JVM languages).
 */
final class JfrStacks {

    private JfrStacks() {
    }

    /** The Java frames of a stack trace, cut at {@code depth}; empty when JFR recorded none. */
    static List<Frame> frames(RecordedStackTrace stackTrace, int depth) {
        if (stackTrace == null) {
            return Collections.emptyList();
        }
        List<RecordedFrame> recorded = stackTrace.getFrames();
        List<Frame> frames = new ArrayList<>(Math.min(recorded.size(), depth));
        for (RecordedFrame frame : recorded) {
            if (frames.size() == depth) {
                break;
            }
            if (frame.isJavaFrame()) {
                frames.add(frame(frame));
            }
        }
        return frames;
    }

    static Frame frame(RecordedFrame frame) {
        RecordedMethod method = frame.getMethod();
        String className = method.getType().getName();
        return Frame.of(className, method.getName(), sourceFile(className), frame.getLineNumber());
    }

    /** {@code com.example.Outer$Inner} → {@code Outer.java}. */
    static String sourceFile(String className) {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        int nested = simple.indexOf('$');
        return (nested > 0 ? simple.substring(0, nested) : simple) + ".java";
    }
}
