package dev.pprof4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives every frame a stable synthetic program counter, and finds the frame
 * again from it.
 *
 * <p>pprof's text formats name stack frames by address only, and
 * {@code go tool pprof} then posts those addresses to {@code /symbol} in a
 * second request; that request must resolve them, so the addresses a handler
 * hands out stay valid while it lives. The table is bounded: when it is full
 * it starts a new epoch, whose number is part of every address, so an address
 * from an old epoch is never resolved to the wrong frame, only to none.
 *
 * <p>Address layout: {@code epoch << 36 | id << 4 | 8}. The low bits keep the
 * address and the address minus one (which the client sends) in the same
 * 16-byte slot.
 */
final class FrameTable {

    private static final int ID_BITS = 32;
    private static final int SLOT_BITS = 4;

    private final int capacity;
    private final Map<Frame, Integer> ids = new HashMap<>();
    private final List<Frame> frames = new ArrayList<>();
    private long epoch = 1;

    FrameTable(int capacity) {
        this.capacity = capacity;
    }

    synchronized long address(Frame frame) {
        Integer id = ids.get(frame);
        if (id == null) {
            if (frames.size() >= capacity) {
                ids.clear();
                frames.clear();
                epoch++;
            }
            frames.add(frame);
            id = frames.size();
            ids.put(frame, id);
        }
        return epoch << (ID_BITS + SLOT_BITS) | (long) id << SLOT_BITS | 8;
    }

    /** The frame an address (or the address minus one) was handed out for, or null. */
    synchronized Frame frameAt(long address) {
        if (address >>> (ID_BITS + SLOT_BITS) != epoch) {
            return null;
        }
        long id = (address >>> SLOT_BITS) & ((1L << ID_BITS) - 1);
        return id >= 1 && id <= frames.size() ? frames.get((int) id - 1) : null;
    }
}
