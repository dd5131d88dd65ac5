package org.miniisolate.cli.commands;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeSet;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import org.miniisolate.Sandbox;
import org.miniisolate.SandboxConfig;
import org.miniisolate.box.BoxLayout;
import org.miniisolate.box.BoxState;

/**
 * What {@code list} and {@code status} show: every box the installation knows from its state files, plus box
 * directories without one, each with a condition. Read-only: it takes no lock (a held lock is seen in
 * /proc/locks), so it never makes a concurrent run fail.
 */
final class BoxInventory {
    private BoxInventory() {
    }

    /** A box's condition. */
    enum Condition {
        /** Initialized and its directory is there. */
        READY,
        /** A command holds its lock right now (a run, an init, a cleanup). */
        BUSY,
        /** Its state and its directory disagree: a crashed init or run, or a directory removed by hand. */
        STALE,
        /** Neither state nor directory: the box does not exist ({@code status} of an unused id). */
        ABSENT;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One box as {@code list} and {@code status} print it.
     *
     * @param box          id
     * @param condition    ready, busy or stale
     * @param problem      for a stale box, what is wrong and how to fix it; else null
     * @param initialized  the state says its init completed
     * @param directory    where it lives
     * @param directoryExists its box/ directory exists
     * @param ownerUid     who owns box/ between runs (null without a state)
     * @param owner        that user's name, when known
     * @param cgroups      initialized for cgroup mode (null without a state)
     * @param quota        "blocks,inodes" or "" (null without a state)
     * @param createdAt    when it was initialized (null without a state)
     * @param lastRun      one line about its last run, "" before the first (null without a state)
     * @param lockHolderPid the process holding its lock, when busy
     */
    @JsonPropertyOrder({"box", "condition", "problem", "initialized", "directory", "directoryExists", "ownerUid",
            "owner", "cgroups", "quota", "createdAt", "lastRun", "lockHolderPid"})
    record Entry(int box, String condition, String problem, boolean initialized, String directory,
                 boolean directoryExists, Integer ownerUid, String owner, Boolean cgroups, String quota, String createdAt,
                 String lastRun, Long lockHolderPid) {
        boolean ready() {
            return condition.equals(Condition.READY.label());
        }
    }

    /** Every box of the installation, by id. */
    static List<Entry> all(Sandbox sandbox) {
        SandboxConfig c = sandbox.config();
        TreeSet<Integer> ids = new TreeSet<>();
        Map<Integer, BoxState> states = new java.util.HashMap<>();
        Map<Integer, String> damaged = new java.util.HashMap<>();
        try {
            SortedMap<Integer, BoxState> known = sandbox.knownBoxes();
            states.putAll(known);
            ids.addAll(known.keySet());
        } catch (RuntimeException e) {
            // One damaged state file spoils the whole listing: read them one by one instead.
            for (int id : new org.miniisolate.box.BoxLocks(c.lockRoot()).knownIds()) {
                if (id < c.numBoxes()) {
                    ids.add(id);
                    try {
                        sandbox.box(id).state().ifPresent(st -> states.put(id, st));
                    } catch (RuntimeException d) {
                        damaged.put(id, d.getMessage());
                    }
                }
            }
        }
        ids.addAll(directoryIds(c.boxRoot(), c.numBoxes()));
        ProcLocks locks = ProcLocks.read();
        List<Entry> out = new ArrayList<>();
        for (int id : ids) {
            out.add(entry(c, id, Optional.ofNullable(states.get(id)), damaged.get(id), locks));
        }
        return out;
    }

    /** Box {@code id}, known or not. */
    static Entry one(Sandbox sandbox, int id) {
        SandboxConfig c = sandbox.config();
        Optional<BoxState> st = Optional.empty();
        String damaged = null;
        try {
            st = sandbox.box(id).state();
        } catch (RuntimeException e) {
            damaged = e.getMessage();
        }
        return entry(c, id, st, damaged, ProcLocks.read());
    }

    static Entry entry(SandboxConfig c, int id, Optional<BoxState> state, String damaged, ProcLocks locks) {
        BoxLayout layout = BoxLayout.of(c.boxRoot(), id);
        boolean dirExists = Files.isDirectory(layout.box(), LinkOption.NOFOLLOW_LINKS);
        boolean anyDir = Files.exists(layout.directory(), LinkOption.NOFOLLOW_LINKS);
        Optional<Long> holder = locks.holderOf(c.lockRoot().resolve(Integer.toString(id)));
        String fix = " (run `mini-isolate cleanup --box-id " + id + "`, then init again)";
        String problem = null;
        if (damaged != null) {
            problem = "damaged state: " + damaged + fix;
        } else if (state.isEmpty()) {
            if (anyDir) {
                problem = "a box directory without state: left by a crash or by hand" + fix;
            }
        } else if (!state.get().initialized()) {
            problem = "its init did not complete" + fix;
        } else if (!dirExists) {
            problem = "initialized, but its directory " + layout.box() + " is missing" + fix;
        }
        Condition cond = holder.isPresent() ? Condition.BUSY : problem != null ? Condition.STALE
                : state.isEmpty() ? Condition.ABSENT : Condition.READY;
        BoxState s = state.orElse(null);
        return new Entry(id, cond.label(), cond == Condition.STALE ? problem : null, s != null && s.initialized(),
                layout.directory().toString(), dirExists, s == null ? null : s.ownerUid(),
                s == null ? null : UserNames.of(s.ownerUid()), s == null ? null : s.cgroups(),
                s == null ? null : s.quota(), s == null ? null : s.createdAt().toString(), s == null ? null : s.lastRun(),
                holder.orElse(null));
    }

    /** Numeric directories under the box root (box ids without a state file show up this way). */
    private static List<Integer> directoryIds(Path boxRoot, int numBoxes) {
        List<Integer> ids = new ArrayList<>();
        if (!Files.isDirectory(boxRoot, LinkOption.NOFOLLOW_LINKS)) {
            return ids;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(boxRoot)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.isEmpty() && n.length() < 10 && n.chars().allMatch(Character::isDigit)
                        && (n.equals("0") || n.charAt(0) != '0') && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    int id = Integer.parseInt(n);
                    if (id < numBoxes) {
                        ids.add(id);
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot list " + boxRoot + ": " + e.getMessage(), e);
        }
        return ids;
    }
}
