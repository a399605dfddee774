package dev.pprof4j;

import java.util.HashMap;
import java.util.Map;

/**
 * Gives every frame a synthetic program counter that is the same for the
 * life of the process, and finds the frame again from it.
 *
 * <p>Two clients depend on addresses. {@code go tool pprof} reads the text
 * formats, which name frames by address only, and posts those addresses to
 * {@code /symbol} in a second request. Fleet scrapers (Grafana Alloy) tell
 * the samples of two scrapes apart by their locations' addresses, so an
 * address that changed would make a cumulative count look new. An address
 * is therefore a hash of the frame itself (class, method, file, line), not
 * a position in a table: no bound, restart of a table or order of arrival
 * can change it. Two distinct frames share an address with a probability
 * of about n²/2⁶⁰ for n frames (one in a million for a million frames).
 *
 * <p>Only the way back, address to frame, is a table, and it is bounded:
 * when full it is emptied, and an address handed out before then no longer
 * resolves on {@code /symbol} until its frame is seen again; it is never
 * resolved to another frame.
 *
 * <p>Address layout: 59 bits of hash, then {@code 8} in the low four bits,
 * which keeps the address and the address minus one (which the client
 * sends) in the same 16-byte slot, and keeps every address non-zero and
 * below 2⁶³.
 */
final class FrameTable {

    private static final int SLOT_BITS = 4;
    private static final long HASH_MASK = (1L << 59) - 1;

    private final int capacity;
    private final Map<Long, Frame> frames = new HashMap<>();

    /** @param capacity the most frames {@link #frameAt} finds before it starts anew */
    FrameTable(int capacity) {
        this.capacity = capacity;
    }

    synchronized long address(Frame frame) {
        long address = addressOf(frame);
        if (!frames.containsKey(address)) {
            if (frames.size() >= capacity) {
                frames.clear();
            }
            frames.put(address, frame);
        }
        return address;
    }

    /** The frame an address (or the address minus one) was handed out for, or null. */
    synchronized Frame frameAt(long address) {
        return frames.get(address >>> SLOT_BITS << SLOT_BITS | 8);
    }

    /** The frame's address: FNV-1a over its fields, then SplitMix64's finalizer to spread the bits. */
    static long addressOf(Frame frame) {
        long hash = 0xcbf29ce484222325L;
        hash = mix(hash, frame.className());
        hash = mix(hash, frame.methodName());
        hash = mix(hash, frame.sourcePath());
        hash = (hash ^ frame.line()) * 0x100000001b3L;
        hash = (hash ^ (hash >>> 30)) * 0xbf58476d1ce4e5b9L;
        hash = (hash ^ (hash >>> 27)) * 0x94d049bb133111ebL;
        hash ^= hash >>> 31;
        return (hash & HASH_MASK) << SLOT_BITS | 8;
    }

    private static long mix(long hash, String field) {
        for (int i = 0; i < field.length(); i++) {
            hash = (hash ^ field.charAt(i)) * 0x100000001b3L;
        }
        // A separator, so that ("ab", "c") and ("a", "bc") differ.
        return (hash ^ 0xffff) * 0x100000001b3L;
    }
}
