package org.miniisolate.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery on fake mount tables, /proc/self/cgroup files and cgroup trees, one per kind of machine. */
class CgroupDiscoveryTest {
    @TempDir
    Path temp;

    @Test
    void pureV1UsesEachControllersHierarchy() {
        FakeCgroupTree t = new FakeCgroupTree(temp);
        Path cpu = t.v1("cpu,cpuacct", "cpu", "cpuacct");
        Path memory = t.v1("memory", "memory");
        Path pids = t.v1("pids", "pids");
        Path cpuset = t.v1("cpuset", "cpuset");
        Path freezer = t.v1("freezer", "freezer");
        t.v1("systemd", "name=systemd");
        t.self("5:memory:/");
        t.self("1:name=systemd:/init.scope");

        CgroupLayout l = t.discovery(true, p -> true).discover();

        assertThat(l.kind()).isEqualTo(CgroupLayout.Kind.V1);
        assertThat(l.home(Controller.MEMORY)).isEqualTo(new Home.V1(memory, memory));
        assertThat(l.home(Controller.PIDS)).isEqualTo(new Home.V1(pids, pids));
        assertThat(l.home(Controller.CPU)).isEqualTo(new Home.V1(cpu, cpu));
        assertThat(l.home(Controller.CPUSET)).isEqualTo(new Home.V1(cpuset, cpuset));
        assertThat(l.home(Controller.KILL)).isEqualTo(new Home.V1(freezer, freezer));
        assertThat(l.roots("mini-isolate")).containsExactly(memory.resolve("mini-isolate"), pids.resolve("mini-isolate"),
                cpu.resolve("mini-isolate"), cpuset.resolve("mini-isolate"), freezer.resolve("mini-isolate"));
    }

    @Test
    void pureV2AsRootUsesTheTopOfTheTreeWithTheControllersItEnables() {
        FakeCgroupTree t = new FakeCgroupTree(temp);
        Path v2 = t.v2("cgroup", "cpuset", "cpu", "io", "memory", "pids");
        t.self("0::/user.slice/user-0.slice/session-1.scope");

        CgroupLayout l = t.discovery(true, p -> true).discover();

        assertThat(l.kind()).isEqualTo(CgroupLayout.Kind.V2);
        for (Controller c : Controller.values()) {
            assertThat(l.home(c)).as("%s", c).isEqualTo(new Home.V2(v2, v2));
        }
        assertThat(l.roots("mini-isolate")).containsExactly(v2.resolve("mini-isolate"));
    }

    @Test
    void pureV2WithoutMemoryEnabledSaysHowToEnableIt() {
        FakeCgroupTree t = new FakeCgroupTree(temp);
        Path v2 = t.v2("cgroup", "pids");
        t.self("0::/");

        CgroupLayout l = t.discovery(true, p -> true).discover();

        assertThat(l.home(Controller.PIDS)).isEqualTo(new Home.V2(v2, v2));
        assertThat(l.home(Controller.CPU)).isEqualTo(new Home.V2(v2, v2));
        assertThat(l.home(Controller.MEMORY)).isInstanceOfSatisfying(Home.Missing.class, m -> {
            assertThat(m.reason()).contains("memory is not enabled", v2.toString());
            assertThat(m.fix()).contains("echo +memory > " + v2.resolve("cgroup.subtree_control"));
        });
    }

    /** This machine's layout: v1 controllers, and a v2 mount with only core files. */
    @Test
    void hybridTakesControllersFromV1AndCpuAndKillFromTheV2Tree() {
        FakeCgroupTree t = new FakeCgroupTree(temp);
        t.v1("cpu", "cpu");
        t.v1("cpuacct", "cpuacct");
        Path cpuset = t.v1("cpuset", "cpuset");
        Path memory = t.v1("memory", "memory");
        t.v1("freezer", "freezer");
        Path pids = t.v1("pids", "pids");
        t.v1("systemd", "name=systemd");
        Path unified = t.v2("unified");
        t.self("8:pids:/");
        t.self("4:memory:/process_api/619844ec");
        t.self("0::/");

        CgroupLayout l = t.discovery(true, p -> true).discover();

        assertThat(l.kind()).isEqualTo(CgroupLayout.Kind.HYBRID);
        assertThat(l.home(Controller.MEMORY)).isEqualTo(new Home.V1(memory, memory));
        assertThat(l.home(Controller.PIDS)).isEqualTo(new Home.V1(pids, pids));
        assertThat(l.home(Controller.CPUSET)).isEqualTo(new Home.V1(cpuset, cpuset));
        assertThat(l.home(Controller.CPU)).isEqualTo(new Home.V2(unified, unified));
        assertThat(l.home(Controller.KILL)).isEqualTo(new Home.V2(unified, unified));
        assertThat(l.roots("mini-isolate").getFirst()).isEqualTo(unified.resolve("mini-isolate"));
        assertThat(l.describe()).contains("cgroup layout: hybrid", "memory: cgroup v1 hierarchy " + memory);
    }

    @Test
    void rootlessUsesTheWritableParentOfItsOwnCgroupAsASibling() {
        FakeCgroupTree t = new FakeCgroupTree(temp);
        Path v2 = t.v2("cgroup", "cpuset", "cpu", "io", "memory", "pids");
        t.v1("systemd", "name=systemd");
        Path app = v2.resolve("user.slice/user-1000.slice/user@1000.service/app.slice");
        t.existing(app, "cpu", "memory", "pids");
        t.existing(app.resolve("run-r1.scope"));
        t.self("1:name=systemd:/user.slice/user-1000.slice/user@1000.service/app.slice/run-r1.scope");
        t.self("0::/user.slice/user-1000.slice/user@1000.service/app.slice/run-r1.scope");

        CgroupLayout l = t.discovery(false, p -> p.startsWith(app)).discover();

        assertThat(l.home(Controller.MEMORY)).isEqualTo(new Home.V2(v2, app));
        assertThat(l.home(Controller.PIDS)).isEqualTo(new Home.V2(v2, app));
        assertThat(l.home(Controller.CPU)).isEqualTo(new Home.V2(v2, app));
        assertThat(l.home(Controller.KILL)).isEqualTo(new Home.V2(v2, app));
        assertThat(l.home(Controller.CPUSET)).isInstanceOfSatisfying(Home.Missing.class,
                m -> assertThat(m.fix()).contains("Delegate=yes", "user@.service"));
        assertThat(l.roots("mini-isolate")).containsExactly(app.resolve("mini-isolate"));
        assertThat(l.home(Controller.MEMORY).describe()).contains("delegated subtree");
    }

    @Test
    void rootlessWithoutDelegationHasNothingAndSaysHowToDelegate() {
        FakeCgroupTree t = new FakeCgroupTree(temp);
        Path v2 = t.v2("cgroup", "cpuset", "cpu", "io", "memory", "pids");
        Path session = v2.resolve("user.slice/user-1000.slice/session-3.scope");
        t.existing(session);
        t.self("0::/user.slice/user-1000.slice/session-3.scope");

        CgroupLayout l = t.discovery(false, p -> false).discover();

        for (Controller c : Controller.values()) {
            assertThat(l.home(c)).as("%s", c).isInstanceOfSatisfying(Home.Missing.class, m -> {
                assertThat(m.reason()).contains("not root", "not writable");
                assertThat(m.fix()).contains("systemd-run --user --scope -p Delegate=yes");
            });
        }
        assertThat(l.roots("mini-isolate")).isEmpty();
    }

    @Test
    void rootlessOnV1CannotUseTheHierarchies() {
        FakeCgroupTree t = new FakeCgroupTree(temp);
        t.v1("memory", "memory");
        t.self("4:memory:/user.slice");

        CgroupLayout l = t.discovery(false, p -> true).discover();

        assertThat(l.home(Controller.MEMORY)).isInstanceOfSatisfying(Home.Missing.class,
                m -> assertThat(m.reason()).contains("usable only as root"));
    }

    @Test
    void noCgroupsAtAll() {
        FakeCgroupTree t = new FakeCgroupTree(temp);
        t.self("0::/");

        CgroupLayout l = t.discovery(true, p -> true).discover();

        assertThat(l.kind()).isEqualTo(CgroupLayout.Kind.NONE);
        for (Controller c : Controller.values()) {
            assertThat(l.home(c)).as("%s", c).isInstanceOfSatisfying(Home.Missing.class,
                    m -> assertThat(m.fix()).contains("mount -t cgroup2"));
        }
        assertThat(l.roots("mini-isolate")).isEmpty();
    }

    @Test
    void unreadableProcFilesMeanNoCgroups() {
        CgroupLayout l = new CgroupDiscovery(temp.resolve("absent"), temp.resolve("absent2"), true, p -> true).discover();

        assertThat(l.usable(Controller.MEMORY)).isEmpty();
        assertThat(l.home(Controller.MEMORY).describe()).contains("cannot read");
    }

    @Test
    void readOnlyV1MountIsNotUsable() throws Exception {
        Path mountinfo = Files.writeString(temp.resolve("mi"),
                "35 31 0:32 / /sys/fs/cgroup/memory ro,nosuid,nodev,noexec,relatime - cgroup cgroup rw,memory\n");
        Path self = Files.writeString(temp.resolve("self"), "4:memory:/docker/abc\n");

        CgroupLayout l = new CgroupDiscovery(mountinfo, self, true, p -> true).discover();

        assertThat(l.home(Controller.MEMORY)).isInstanceOfSatisfying(Home.Missing.class,
                m -> assertThat(m.reason()).contains("read-only"));
    }

    @Test
    void mountTableUnescapesPathsAndReadsOptions() {
        var mounts = MountTable.parse("""
                41 31 0:38 / /sys/fs/cgroup/uni\\040fied rw,relatime shared:5 - cgroup2 cgroup2 rw
                32 31 0:29 /sub /sys/fs/cgroup/cpu,cpuacct ro,relatime - cgroup cgroup rw,cpu,cpuacct
                23 1 0:21 / / rw - ext4 /dev/vda rw
                garbage
                """);

        assertThat(mounts).containsExactly(
                new CgroupMount(Path.of("/sys/fs/cgroup/uni fied"), "/", true, java.util.Set.of("rw"), false),
                new CgroupMount(Path.of("/sys/fs/cgroup/cpu,cpuacct"), "/sub", false, java.util.Set.of("rw", "cpu", "cpuacct"), true));
        assertThat(mounts.get(1).hasSubsystem("cpuacct")).isTrue();
        assertThat(mounts.get(0).hasSubsystem("rw")).isFalse();
    }

    @Test
    void membershipSeparatesV1HierarchiesFromTheUnifiedTree() {
        Membership m = Membership.parse("9:name=systemd:/\n2:cpu,cpuacct:/a\n4:memory:/process_api/x\n0::/u\n");

        assertThat(m.v1()).containsEntry("cpu", "/a").containsEntry("cpuacct", "/a")
                .containsEntry("memory", "/process_api/x").containsEntry("name=systemd", "/");
        assertThat(m.v2Path()).contains("/u");
        assertThat(Membership.parse("4:memory:/\n").v2Path()).isEmpty();
    }

    /** The machine the tests run on: whatever it is, discovery must not throw and must describe every controller. */
    @Test
    void thisMachineIsDescribed() {
        CgroupLayout l = CgroupDiscovery.of(CgroupConfig.defaults(), org.miniisolate.nativeio.Libc.geteuid() == 0).discover();
        System.out.println(String.join("\n", l.describe()));
        assertThat(l.describe()).hasSize(Controller.values().length + 1);
    }
}
