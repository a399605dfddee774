package dev.pprof4j;

import java.util.List;
import java.util.Map;

/**
 * What a profile's row is told apart by: its stack, leaf first, and the
 * {@link PprofLabels} the stack ran under (empty if none).
 */
record LabelledStack(List<Frame> stack, Map<String, String> labels) {

    static LabelledStack of(List<Frame> stack) {
        return new LabelledStack(stack, Map.of());
    }
}
