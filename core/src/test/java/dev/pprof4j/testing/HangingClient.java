package dev.pprof4j.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A client that asks for a timed profile and hangs up while it runs, as an impatient operator does. */
public final class HangingClient {

    private HangingClient() {
    }

    /**
     * Sends {@code GET path} to 127.0.0.1, reads the status line (a timed
     * profile sends it at once), stays connected for {@code millis}, then
     * closes the connection; returns the status line.
     */
    public static String hangUpAfter(int port, String path, long millis) throws IOException, InterruptedException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            Thread.sleep(millis);
            return status;
        }
    }
}
