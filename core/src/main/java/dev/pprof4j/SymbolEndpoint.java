package dev.pprof4j;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

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
final class SymbolEndpoint implements Endpoint {

    /**
     * About 140,000 addresses, more than the client ever sends; what lies
     * beyond is ignored, and the words are scanned in place, so a large or
     * hostile request costs little memory.
     */
    private static final int MAX_REQUEST_BYTES = 2 * 1024 * 1024;
    /** Longer than any address in any base: a longer word cannot be one. */
    private static final int MAX_WORD_LENGTH = 80;

    private final FrameTable frameTable;

    SymbolEndpoint(FrameTable frameTable) {
        this.frameTable = frameTable;
    }

    @Override
    public String name() {
        return "symbol";
    }

    @Override
    public Response respond(PprofExchange exchange) throws IOException {
        StringBuilder out = new StringBuilder("num_symbols: 1\n");
        if (exchange.method().equalsIgnoreCase("POST")) {
            try (InputStream body = new BufferedInputStream(exchange.requestBody())) {
                resolve(body, frameTable, out);
            }
        } else {
            String query = exchange.queryString() == null ? "" : exchange.queryString();
            resolve(new ByteArrayInputStream(query.getBytes(StandardCharsets.ISO_8859_1)), frameTable, out);
        }
        return Response.text(out.toString());
    }

    /** Appends {@code 0x<address> <function>} for each {@code +}-separated word that is a known address. */
    private static void resolve(InputStream in, FrameTable frameTable, StringBuilder out) throws IOException {
        StringBuilder word = new StringBuilder();
        for (int read = 0; read <= MAX_REQUEST_BYTES; read++) {
            int b = read < MAX_REQUEST_BYTES ? in.read() : -1;
            if (b == '+' || b == -1) {
                long address = word.length() > MAX_WORD_LENGTH ? 0 : parseAddress(word.toString());
                Frame frame = address == 0 ? null : frameTable.frameAt(address);
                if (frame != null) {
                    out.append("0x").append(Long.toHexString(address)).append(' ')
                            .append(frame.functionName()).append('\n');
                }
                word.setLength(0);
                if (b == -1) {
                    return;
                }
            } else if (word.length() <= MAX_WORD_LENGTH) {
                word.append((char) b);
            }
        }
    }

    /**
     * Go's {@code strconv.ParseUint(word, 0, 64)}: {@code 0x} hex, {@code 0b}
     * binary, {@code 0o} or {@code 0} octal, else decimal, underscores allowed
     * after a prefix, no sign; 0 if unparsable.
     */
    static long parseAddress(String word) {
        String lower = word.toLowerCase(Locale.ROOT);
        int radix = 10;
        String digits = lower;
        if (lower.startsWith("0x") || lower.startsWith("0b") || lower.startsWith("0o")) {
            radix = lower.charAt(1) == 'x' ? 16 : lower.charAt(1) == 'b' ? 2 : 8;
            digits = lower.substring(2).replace("_", "");
        } else if (lower.length() > 1 && lower.startsWith("0")) {
            radix = 8;
            digits = lower.substring(1).replace("_", "");
        }
        if (digits.isEmpty() || digits.charAt(0) == '+' || digits.charAt(0) == '-') {
            return 0;
        }
        try {
            return Long.parseUnsignedLong(digits, radix);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
