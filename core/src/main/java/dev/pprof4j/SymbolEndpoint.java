package dev.pprof4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code /debug/pprof/symbol}: resolves the addresses that pprof4j's text
 * profiles hand out to function names, as Go's endpoint resolves program
 * counters. {@code go tool pprof} posts them here after reading such a text
 * profile from a URL.
 *
 * <p>Input: {@code 0x1+0x2+...} in a POST body or a GET query. Output:
 * {@code num_symbols: 1} (meaning "symbols are available"), then
 * {@code 0x<address> <function>} for each address known; unknown and
 * unparsable words are skipped, and the answer is always 200.
 */
final class SymbolEndpoint {

    /** Generous for the client's lists (about 15 bytes per address), small for the heap. */
    private static final int MAX_REQUEST_BYTES = 8 * 1024 * 1024;

    private SymbolEndpoint() {
    }

    static Response respond(PprofExchange exchange, FrameTable frameTable) throws IOException {
        String input;
        if (exchange.method().equalsIgnoreCase("POST")) {
            try (InputStream body = exchange.requestBody()) {
                input = new String(body.readNBytes(MAX_REQUEST_BYTES), StandardCharsets.ISO_8859_1);
            }
        } else {
            input = exchange.queryString() == null ? "" : exchange.queryString();
        }
        StringBuilder out = new StringBuilder("num_symbols: 1\n");
        for (String word : input.split("\\+")) {
            long address = parseAddress(word);
            Frame frame = address == 0 ? null : frameTable.frameAt(address);
            if (frame != null) {
                out.append("0x").append(Long.toHexString(address)).append(' ')
                        .append(frame.functionName()).append('\n');
            }
        }
        return Response.text(out.toString());
    }

    /** Go's {@code strconv.ParseUint(word, 0, 64)}: 0x hex, 0 octal, else decimal; 0 if unparsable. */
    static long parseAddress(String word) {
        try {
            if (word.startsWith("0x") || word.startsWith("0X")) {
                return Long.parseUnsignedLong(word.substring(2), 16);
            }
            if (word.length() > 1 && word.startsWith("0")) {
                return Long.parseUnsignedLong(word.substring(1), 8);
            }
            return Long.parseUnsignedLong(word);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
