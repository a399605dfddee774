package dev.pprof4j.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Requests written by hand on a socket: what a well-behaved client such as {@link HttpTestClient} cannot send. */
public final class RawHttpClient {

    private RawHttpClient() {
    }

    /** The status of {@code GET target} sent as it is, characters no URL may hold included. */
    public static int status(int port, String target) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            String status = statusLine(socket, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close");
            if (status == null) {
                throw new IOException("the server closed the connection without answering " + target);
            }
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    /**
     * A client that hangs up while its profile runs, as an impatient
     * operator does: sends {@code GET path} to 127.0.0.1, reads the status line (a timed
     * profile sends it at once), stays connected for {@code millis}, then
     * closes the connection; returns the status line.
     */
    public static String hangUpAfter(int port, String path, long millis) throws IOException, InterruptedException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            String status = statusLine(socket, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1");
            Thread.sleep(millis);
            return status;
        }
    }

    /** Sends the request's head as it is, then reads the answer's status line ({@code null} if none came). */
    private static String statusLine(Socket socket, String head) throws IOException {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write((head + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                .readLine();
    }
}
