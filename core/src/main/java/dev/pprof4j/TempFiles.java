package dev.pprof4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * pprof4j's temporary files (trace recordings, thread dumps): named with the
 * process id of the JVM that wrote them, so that those of a JVM stopped
 * before it could delete them are deleted by the next one.
 */
final class TempFiles {

    private TempFiles() {
    }

    /** Whether the process of the id in a file's name is no longer running. */
    static boolean ownerEnded(String pid) {
        try {
            Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(pid));
            return process.isEmpty() || !process.get().isAlive();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Deletes a file or an empty directory, if there; what cannot be deleted now is left to the next sweep. */
    static void deleteQuietly(Path path) {
        if (path != null) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // Left for the next sweep, once its owner has ended.
            }
        }
    }
}
