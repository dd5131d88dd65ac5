package org.miniisolate.cgroup;

import java.util.Objects;

/**
 * Something a cgroup-mode run asked for that this machine cannot enforce: the run goes ahead
 * without it (or is refused, when strict). Callers say it once, e.g. on stderr.
 *
 * @param controller what is missing
 * @param effect     what the run loses, e.g. "the memory limit is not enforced"
 * @param reason     why, from discovery
 * @param fix        how to get it
 */
public record CgroupWarning(Controller controller, String effect, String reason, String fix) {
    public CgroupWarning {
        Objects.requireNonNull(controller);
        Objects.requireNonNull(effect);
        Objects.requireNonNull(reason);
        Objects.requireNonNull(fix);
    }

    /** One line: "cgroup <controller> controller unavailable (<reason>): <effect>. Fix: <fix>". */
    public String message() {
        return "cgroup " + controller.label() + " controller unavailable (" + reason + "): " + effect + ". Fix: " + fix;
    }
}
