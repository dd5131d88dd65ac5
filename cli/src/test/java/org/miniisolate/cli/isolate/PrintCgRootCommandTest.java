package org.miniisolate.cli.isolate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.miniisolate.cgroup.CgroupConfig;
import org.miniisolate.cgroup.CgroupDiscovery;
import org.miniisolate.cgroup.CgroupFs;
import org.miniisolate.cgroup.Cgroups;

/** --print-cg-root on a machine without cgroups (a fake mount table); CgroupIT prints the real ones. */
class PrintCgRootCommandTest {

    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final StringWriter meta = new StringWriter();

    private int printCgRoot(String mountinfo, String selfCgroup) throws Exception {
        CgroupConfig config = new CgroupConfig("judge", Files.writeString(temp.resolve("mountinfo"), mountinfo),
                Files.writeString(temp.resolve("cgroup"), selfCgroup));
        Cgroups cgroups = new Cgroups(config, CgroupFs.real(), CgroupDiscovery.of(config, true));
        RunReport report = new RunReport(new MetaFile(meta, true), new PrintStream(err, true, StandardCharsets.UTF_8),
                false);
        return PrintCgRootCommand.run(cgroups, new PrintStream(out, true, StandardCharsets.UTF_8), report);
    }

    @Test
    void withoutAnyCgroupFilesystemItSaysWhyAndFails() throws Exception {
        int code = printCgRoot("22 1 8:1 / / rw,relatime - ext4 /dev/vda1 rw\n", "0::/\n");
        assertThat(code).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        String why = err.toString(StandardCharsets.UTF_8);
        assertThat(why).startsWith("No usable cgroup hierarchy: ").contains(". Fix: ").endsWith("\n");
        assertThat(meta.toString()).startsWith("status:XX\nmessage:No usable cgroup hierarchy: ");
    }
}
