package org.miniisolate.cli.isolate;

import java.util.Optional;

import org.miniisolate.Box;
import org.miniisolate.SandboxException;
import org.miniisolate.box.BoxState;

/**
 * isolate's lock-record checks for {@code --init} and {@code --cleanup}: every command on a box must use the mode
 * it was initialized with ({@code --cg} or not), and re-initializing someone else's box is refused. {@code --run}
 * gets the same checks from the core itself.
 *
 * <p>Judges rely on the mode check: some answer "incompatible control group mode" from {@code --cg --init} with a
 * plain {@code --cleanup} and a new init. The checks read the box's state before the core locks the box, so a
 * concurrent command could change it in between; the worst outcome is that the later command resets or removes a
 * box as the earlier one left it, which is what it was asked to do anyway.
 */
final class BoxCompatibility {

    static final String INCOMPATIBLE_CG_MODE = "This box was initialized with an incompatible control group mode";

    private BoxCompatibility() {
    }

    /**
     * Refuses {@code --init} of a box that exists in the other cgroup mode, or that belongs to another user when
     * acting for a user ({@code --as-uid}); root acting for itself may re-initialize any box, as in isolate.
     *
     * @throws SandboxException with isolate's message
     */
    static void checkInit(Box box, boolean cg, int ownerUid) {
        Optional<BoxState> st = box.state();
        if (st.isEmpty()) {
            return;
        }
        if (ownerUid != 0 && st.get().initialized() && st.get().ownerUid() != ownerUid) {
            throw new SandboxException("This box belongs to a different user (uid " + st.get().ownerUid() + ")");
        }
        checkMode(st.get(), cg);
    }

    /**
     * Refuses {@code --cleanup} of a box initialized in the other cgroup mode (the owner check is the core's).
     *
     * @throws SandboxException with isolate's message
     */
    static void checkCleanup(Box box, boolean cg) {
        Optional<BoxState> st = box.state();
        if (st.isPresent()) {
            checkMode(st.get(), cg);
        }
    }

    private static void checkMode(BoxState st, boolean cg) {
        if (st.cgroups() != cg) {
            throw new SandboxException(INCOMPATIBLE_CG_MODE + " (it was " + (st.cgroups() ? "" : "not ")
                    + "initialized with --cg)");
        }
    }
}
