package dev.pprof4j;

/**
 * One Java stack frame as pprof shows it: a function {@code com.example.Foo.bar}
 * in a source file {@code com/example/Foo.java} at a line.
 *
 * <p>Source paths are rebuilt from the class's package and the file name the
 * class file records, because that is the path a reader finds in the
 * repository; {@code line} is 0 when unknown (native or generated code).
 */
record Frame(String className, String methodName, String sourcePath, int line) {

    /** Stands for the stack of a thread that runs no Java code (the JVM's own, or one not yet started). */
    static final Frame NO_JAVA_FRAMES = new Frame("", "[no Java frames]", "", 0);

    static Frame of(StackTraceElement element) {
        return of(element.getClassName(), element.getMethodName(), element.getFileName(),
                element.getLineNumber());
    }

    static Frame of(String className, String methodName, String fileName, int line) {
        return new Frame(className, methodName, sourcePath(className, fileName), Math.max(line, 0));
    }

    /** The name pprof shows, and that {@code -focus=} matches: {@code com.example.Foo.bar}. */
    String functionName() {
        return className.isEmpty() ? methodName : className + "." + methodName;
    }

    private static String sourcePath(String className, String fileName) {
        if (fileName == null || fileName.isEmpty()) {
            return "";
        }
        int lastDot = className.lastIndexOf('.');
        if (lastDot < 0 || fileName.indexOf('/') >= 0) {
            return fileName;
        }
        return className.substring(0, lastDot).replace('.', '/') + "/" + fileName;
    }
}
