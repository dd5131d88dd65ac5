package org.miniisolate.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.miniisolate.box.BoxLayout;
import org.miniisolate.launch.Mount;
import org.miniisolate.launch.Mount.Flag;
import org.miniisolate.launch.Mount.Kind;
import org.miniisolate.spec.DirRules;

/** Which masks a root plan gets, and where: pure planning, no box. */
class KernelSurfacesPlanTest {
    private static final BoxLayout LAYOUT = BoxLayout.of(Path.of("/var/lib/mini-isolate"), 3);

    @Test
    void masksFollowTheProcMountAtOnce() {
        List<Mount> mounts = RootPlan.of(DirRules.defaults(), LAYOUT).mounts();
        int proc = indexOf(mounts, "proc");
        List<Mount> after = mounts.subList(proc + 1, mounts.size());
        List<Mount> masks = KernelSurfaces.over("proc", "proc", false);
        assertThat(after.subList(0, masks.size())).isEqualTo(masks);
        for (Mount m : masks) {
            assertThat(m.target()).startsWith("proc/");
            assertThat(m.flags()).contains(Flag.READ_ONLY, Flag.NO_SUID, Flag.NO_EXEC);
        }
    }

    @Test
    void everythingPresentIsMaskedAndTheRestCostsNothing() {
        List<Mount> all = KernelSurfaces.overProc("x/proc", false, name -> true);
        assertThat(all).hasSize(KernelSurfaces.PROC_FILES.size() + KernelSurfaces.PROC_DIRECTORIES.size());
        Mount kcore = all.getFirst();
        assertThat(kcore).isEqualTo(Mount.bind("/dev/null", "x/proc/kcore",
                Set.of(Flag.READ_ONLY, Flag.NO_SUID, Flag.NO_EXEC, Flag.MAYBE, Flag.AS_CALLER)));
        Mount acpi = all.get(KernelSurfaces.PROC_FILES.size());
        assertThat(acpi.kind()).isEqualTo(Kind.FILESYSTEM);
        assertThat(acpi.fsType()).isEqualTo("tmpfs");
        assertThat(acpi.target()).isEqualTo("x/proc/acpi");
        assertThat(acpi.flags()).contains(Flag.READ_ONLY, Flag.NO_DEV);

        assertThat(KernelSurfaces.overProc("proc", false, name -> false)).isEmpty();
        assertThat(KernelSurfaces.overProc("proc", true, name -> false))
                .containsExactly(Mount.restrict("proc/sys", Set.of(Flag.READ_ONLY, Flag.NO_SUID, Flag.NO_DEV, Flag.NO_EXEC)));
    }

    @Test
    void aWritableProcKeepsSysReadOnlyAndSysfsIsMaskedToo() {
        List<Mount> rw = RootPlan.of(DirRules.apply(DirRules.defaults(), List.of("proc=proc:fs:rw", "sys=sysfs:fs")), LAYOUT).mounts();
        assertThat(rw).contains(Mount.restrict("proc/sys", Set.of(Flag.READ_ONLY, Flag.NO_SUID, Flag.NO_DEV, Flag.NO_EXEC)));
        assertThat(KernelSurfaces.overSysfs("sys", name -> true)).extracting(Mount::target)
                .containsExactly("sys/firmware", "sys/devices/virtual/powercap", "sys/kernel/security", "sys/kernel/debug");
        // no masks for other filesystems
        assertThat(KernelSurfaces.over("tmpfs", "tmp", true)).isEmpty();
    }

    private static int indexOf(List<Mount> mounts, String target) {
        for (int i = 0; i < mounts.size(); i++) {
            if (mounts.get(i).target().equals(target)) {
                return i;
            }
        }
        throw new AssertionError("no mount at " + target + " in " + mounts);
    }
}
