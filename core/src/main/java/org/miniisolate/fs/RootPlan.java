package org.miniisolate.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.miniisolate.box.BoxIdentity;
import org.miniisolate.box.BoxLayout;
import org.miniisolate.launch.LaunchSpec;
import org.miniisolate.launch.Mount;
import org.miniisolate.launch.Mount.Flag;
import org.miniisolate.spec.DirOption;
import org.miniisolate.spec.DirRule;

/**
 * Turns directory rules into the launcher's mounts and symlinks. This is where the mount
 * policy lives: binds are always nosuid, read-only unless "rw", nodev unless "dev"; a proc or
 * sysfs gets its sensitive parts masked ({@link KernelSurfaces}).
 */
public record RootPlan(List<Mount> mounts, List<LaunchSpec.Symlink> symlinks, List<Path> tmpDirectories, List<Path> boxSources) {
    /** The only device nodes a box gets by default: none of them reaches hardware or the host's state. */
    static final List<String> DEVICES = List.of("null", "zero", "full", "random", "urandom");

    public static RootPlan of(List<DirRule> rules, BoxLayout layout) {
        List<Mount> mounts = new ArrayList<>();
        List<LaunchSpec.Symlink> links = new ArrayList<>();
        List<Path> tmps = new ArrayList<>();
        List<Path> boxSources = new ArrayList<>();
        for (DirRule rule : rules) {
            switch (rule) {
                case DirRule.Bind b -> {
                    mounts.add(Mount.bind(outside(b.outside(), layout), b.inside(), bindFlags(b)));
                    if (b.outside().startsWith("./")) {
                        boxSources.add(Path.of(outside(b.outside(), layout)));
                    }
                }
                case DirRule.Filesystem f -> {
                    mounts.add(Mount.filesystem(f.type(), f.inside(), fsData(f), fsFlags(f.options())));
                    // Right after the filesystem, before anything else can be mounted below it.
                    mounts.addAll(KernelSurfaces.over(f.type(), f.inside(), f.options().contains(DirOption.RW)));
                }
                case DirRule.Temporary t -> {
                    Path dir = layout.tmpFor(t.inside());
                    tmps.add(dir);
                    mounts.add(Mount.bind(dir.toString(), t.inside(), EnumSet.of(Flag.NO_SUID, Flag.NO_DEV)));
                }
                case DirRule.Devices d -> {
                    for (String dev : DEVICES) {
                        // Device nodes are used through their own bind, so the dev directory itself stays nodev.
                        mounts.add(Mount.bind("/dev/" + dev, d.inside() + "/" + dev, EnumSet.of(Flag.NO_SUID, Flag.NO_EXEC, Flag.AS_CALLER)));
                    }
                    links.add(new LaunchSpec.Symlink("/proc/self/fd", d.inside() + "/fd"));
                    links.add(new LaunchSpec.Symlink("/proc/self/fd/0", d.inside() + "/stdin"));
                    links.add(new LaunchSpec.Symlink("/proc/self/fd/1", d.inside() + "/stdout"));
                    links.add(new LaunchSpec.Symlink("/proc/self/fd/2", d.inside() + "/stderr"));
                }
            }
        }
        return new RootPlan(List.copyOf(mounts), List.copyOf(links), List.copyOf(tmps), List.copyOf(boxSources));
    }

    /**
     * Refuses a "./" bind whose path goes through a symbolic link below {@code boxDirectory}. Those
     * sources are opened as root (the box user owns them during a run), so a link the box's owner
     * or an earlier program (kept with --special-files) left in box/ would otherwise bind any host
     * directory into the box, past the rule that binds host paths only as the caller. Call it once
     * box/ belongs to the box user: then neither the owner nor a program can change the path
     * before the launcher opens it.
     *
     * @throws IllegalArgumentException naming the link
     */
    public void requireNoSymlinksInBoxSources(Path boxDirectory) {
        for (Path source : boxSources) {
            Path p = boxDirectory;
            for (Path name : boxDirectory.relativize(source)) {
                p = p.resolve(name);
                if (Files.isSymbolicLink(p)) {
                    throw new IllegalArgumentException("Cannot mount ./" + boxDirectory.relativize(source) + ": ./"
                            + boxDirectory.relativize(p) + " is a symbolic link, and links in the box are never followed");
                }
                if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    break;
                }
            }
        }
    }

    private static String outside(String outside, BoxLayout layout) {
        return outside.startsWith("./") ? layout.directory().resolve(outside.substring(2)).normalize().toString() : outside;
    }

    /** Host directories are looked up as the caller; the box's own ("./x") as root, since the box user owns them during a run. */
    private static Set<Flag> bindFlags(DirRule.Bind b) {
        Set<DirOption> o = b.options();
        EnumSet<Flag> f = EnumSet.of(Flag.NO_SUID);
        if (!b.outside().startsWith("./")) {
            f.add(Flag.AS_CALLER);
        }
        if (!o.contains(DirOption.RW)) {
            f.add(Flag.READ_ONLY);
        }
        if (!o.contains(DirOption.DEV)) {
            f.add(Flag.NO_DEV);
        }
        if (o.contains(DirOption.NOEXEC)) {
            f.add(Flag.NO_EXEC);
        }
        if (!o.contains(DirOption.NOREC)) {
            f.add(Flag.RECURSIVE);
        }
        if (o.contains(DirOption.MAYBE)) {
            f.add(Flag.MAYBE);
        }
        return f;
    }

    private static Set<Flag> fsFlags(Set<DirOption> o) {
        EnumSet<Flag> f = EnumSet.of(Flag.NO_SUID);
        if (!o.contains(DirOption.RW)) {
            f.add(Flag.READ_ONLY);
        }
        if (!o.contains(DirOption.DEV)) {
            f.add(Flag.NO_DEV);
        }
        if (o.contains(DirOption.NOEXEC)) {
            f.add(Flag.NO_EXEC);
        }
        return f;
    }

    private static String fsData(DirRule.Filesystem f) {
        return switch (f.type()) {
            // hidepid: a box sees only its own user's processes, never its init or the host's
            case "proc" -> "hidepid=2";
            case "tmpfs" -> "mode=1777";
            default -> "";
        };
    }

    /** Creates the outside directories of "tmp" rules, owned by the box user (kept between runs). */
    public void prepareHostSide(BoxIdentity identity) {
        try {
            for (Path dir : tmpDirectories) {
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(dir.getParent());
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                }
                Files.setAttribute(dir, "unix:uid", identity.uid(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(dir, "unix:gid", identity.gid(), LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the box's temporary directories: " + e.getMessage(), e);
        }
    }
}
