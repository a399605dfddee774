package dev.pprof4j.servlet.reliability;

import java.util.ArrayList;
import java.util.List;

/**
 * One part of the reliability suite's output: its figures and the result of
 * each check, printed as they come (lines start with {@code [reliability]},
 * for docs/reliability.md), and a failure at the end naming every check
 * that failed, so that one failure does not hide the others' figures.
 */
final class Report {

    private final String part;
    private final List<String> failures = new ArrayList<>();

    Report(String part) {
        this.part = part;
        System.out.println("[reliability] ===== " + part);
    }

    void figure(String name, Object value) {
        System.out.println("[reliability] " + part + " | " + name + ": " + value);
    }

    void check(String name, boolean passed, String detail) {
        System.out.println("[reliability] " + part + " | " + (passed ? "PASS " : "FAIL ") + name
                + (detail.isEmpty() ? "" : " -- " + detail));
        if (!passed) {
            failures.add(name + (detail.isEmpty() ? "" : " -- " + detail));
        }
    }

    void assertPassed() {
        System.out.println("[reliability] " + part + " | " + (failures.isEmpty() ? "all checks passed"
                : failures.size() + " check(s) failed"));
        if (!failures.isEmpty()) {
            throw new AssertionError(part + ": " + failures.size() + " check(s) failed:\n  "
                    + String.join("\n  ", failures));
        }
    }
}
