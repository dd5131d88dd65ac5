package org.miniisolate.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.miniisolate.cgroup.CgroupLayout;
import org.miniisolate.cgroup.CgroupMount;
import org.miniisolate.cgroup.Controller;
import org.miniisolate.cgroup.Home;
import org.miniisolate.seccomp.SeccompSupport;

/** check on fake machines: every setting read from a temporary tree, each failure with its fix. */
class MachineCheckTest {
    @TempDir
    Path root;

    private void put(String file, String content) throws IOException {
        Path p = root.resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content + "\n");
    }

    private Map<String, MachineCheck.Item> fairness() {
        return new MachineCheck(root).fairness().stream().collect(Collectors.toMap(MachineCheck.Item::name, Function.identity()));
    }

    @Test
    void aWellTunedJudgeMachinePasses() throws IOException {
        put("proc/swaps", "Filename\tType\tSize\tUsed\tPriority");
        put("sys/devices/system/cpu/smt/active", "0");
        put("sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "performance");
        put("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "performance");
        put("sys/devices/system/cpu/intel_pstate/no_turbo", "1");
        put("sys/kernel/mm/transparent_hugepage/enabled", "always madvise [never]");
        put("sys/kernel/mm/transparent_hugepage/defrag", "always defer defer+madvise madvise [never]");
        put("sys/kernel/mm/transparent_hugepage/khugepaged/defrag", "0");
        put("proc/sys/kernel/randomize_va_space", "0");
        put("proc/sys/kernel/core_pattern", "core");
        put("proc/sys/fs/protected_hardlinks", "1");
        assertThat(fairness().values()).allSatisfy(i -> assertThat(i.status()).as(i.name()).isEqualTo(MachineCheck.Status.OK));
    }

    @Test
    void eachUnfairSettingFailsWithItsFix() throws IOException {
        put("proc/swaps", "Filename\tType\tSize\tUsed\tPriority\n/swapfile file 1048572 0 -2");
        put("sys/devices/system/cpu/smt/active", "1");
        put("sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "performance");
        put("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "powersave");
        put("sys/devices/system/cpu/cpufreq/boost", "1");
        put("sys/kernel/mm/transparent_hugepage/enabled", "always [madvise] never");
        put("sys/kernel/mm/transparent_hugepage/defrag", "[always] defer never");
        put("sys/kernel/mm/transparent_hugepage/khugepaged/defrag", "1");
        put("proc/sys/kernel/randomize_va_space", "2");
        put("proc/sys/kernel/core_pattern", "|/usr/share/apport/apport -p%p");
        put("proc/sys/fs/protected_hardlinks", "0");
        Map<String, MachineCheck.Item> f = fairness();
        assertThat(f.values()).allSatisfy(i -> {
            assertThat(i.status()).as(i.name()).isEqualTo(MachineCheck.Status.FAIL);
            assertThat(i.fix()).as(i.name()).isNotBlank();
        });
        assertThat(f.get("swap").fix()).isEqualTo("swapoff -a");
        assertThat(f.get("smt").fix()).isEqualTo("echo off > /sys/devices/system/cpu/smt/control");
        assertThat(f.get("governor").detail()).contains("cpu1=powersave").doesNotContain("cpu0");
        assertThat(f.get("turbo").fix()).isEqualTo("echo 0 > /sys/devices/system/cpu/cpufreq/boost");
        assertThat(f.get("thp-enabled").detail()).contains("madvise");
        assertThat(f.get("thp-enabled").fix()).isEqualTo("echo never > /sys/kernel/mm/transparent_hugepage/enabled");
        assertThat(f.get("aslr").fix()).isEqualTo("sysctl -w kernel.randomize_va_space=0");
        assertThat(f.get("core-pattern").detail()).contains("/usr/share/apport/apport");
        assertThat(f.get("core-pattern").fix()).isEqualTo("sysctl -w kernel.core_pattern=core");
        assertThat(f.get("hardlinks").fix()).isEqualTo("sysctl -w fs.protected_hardlinks=1");
    }

    @Test
    void settingsAVirtualMachineDoesNotHaveAreNotApplicable() {
        Map<String, MachineCheck.Item> f = fairness();
        assertThat(f.get("governor").status()).isEqualTo(MachineCheck.Status.NA);
        assertThat(f.get("turbo").status()).isEqualTo(MachineCheck.Status.NA);
        assertThat(f.get("smt").status()).isEqualTo(MachineCheck.Status.NA);
    }

    @Test
    void protections() throws IOException {
        for (String ns : List.of("pid", "mnt", "net", "ipc", "uts")) {
            put("proc/self/ns/" + ns, "");
        }
        put("proc/filesystems", "nodev\tsysfs\nnodev\ttmpfs\n\text4");
        MachineCheck m = new MachineCheck(root);
        List<MachineCheck.Item> ok = m.protections(true, new SeccompSupport.Available("libseccomp.so.2", "2.5.4", 30, List.of()));
        assertThat(ok).allSatisfy(i -> assertThat(i.status()).as(i.name()).isEqualTo(MachineCheck.Status.OK));

        put("proc/sys/user/max_net_namespaces", "0");
        List<MachineCheck.Item> bad = m.protections(false, new SeccompSupport.Unavailable("libseccomp.so.2 not found"));
        Map<String, MachineCheck.Item> byName = bad.stream().collect(Collectors.toMap(MachineCheck.Item::name, Function.identity()));
        // Not root: rootless mode, which works where user namespaces do, without quotas.
        assertThat(byName.get("root").status()).isEqualTo(MachineCheck.Status.WARN);
        assertThat(byName.get("root").detail()).contains("rootless mode");
        assertThat(byName.get("user-namespaces").status()).isEqualTo(MachineCheck.Status.OK);
        assertThat(byName.get("namespaces").fix()).isEqualTo("sysctl -w user.max_net_namespaces=10000");
        assertThat(byName.get("seccomp").detail()).contains("NOT available");
        assertThat(byName.get("quota").status()).isEqualTo(MachineCheck.Status.WARN);

        put("proc/sys/user/max_user_namespaces", "0");
        MachineCheck.Item userNs = m.protections(false, new SeccompSupport.Unavailable("none")).stream()
                .filter(i -> i.name().equals("user-namespaces")).findFirst().orElseThrow();
        assertThat(userNs.status()).isEqualTo(MachineCheck.Status.FAIL);
        assertThat(userNs.detail()).contains("user.max_user_namespaces = 0");
        assertThat(userNs.fix()).contains("sysctl -w user.max_user_namespaces=");
    }

    @Test
    void missingControllersCarryTheirFix() {
        Map<Controller, Home> homes = new java.util.EnumMap<>(Controller.class);
        for (Controller c : Controller.values()) {
            homes.put(c, new Home.V1(Path.of("/sys/fs/cgroup/" + c.label()), Path.of("/sys/fs/cgroup/" + c.label())));
        }
        homes.put(Controller.MEMORY, new Home.Missing("no memory hierarchy", "boot with cgroup_enable=memory"));
        homes.put(Controller.CPUSET, new Home.Missing("no cpuset hierarchy", "mount -t cgroup -o cpuset cpuset /sys/fs/cgroup/cpuset"));
        CgroupLayout layout = new CgroupLayout(List.<CgroupMount>of(), homes);
        Map<String, MachineCheck.Item> items = MachineCheck.cgroups(layout).stream()
                .collect(Collectors.toMap(MachineCheck.Item::name, Function.identity()));
        assertThat(items.get("memory").status()).isEqualTo(MachineCheck.Status.FAIL);
        assertThat(items.get("memory").fix()).isEqualTo("boot with cgroup_enable=memory");
        assertThat(items.get("cpuset").status()).isEqualTo(MachineCheck.Status.WARN);
        assertThat(items.get("pids").status()).isEqualTo(MachineCheck.Status.OK);
        assertThat(MachineCheck.selected("always [madvise] never")).isEqualTo("madvise");
    }
}
