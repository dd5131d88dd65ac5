package org.miniisolate.box;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host accounts in the box id range, read from passwd and group files. */
class HostIdOverlapTest {
    @TempDir
    Path dir;

    @Test
    void accountsInTheRangeAreNamedAndOthersIgnored() throws Exception {
        Path passwd = Files.writeString(dir.resolve("passwd"), String.join("\n",
                "root:x:0:0:root:/root:/bin/bash",
                "# a comment:x:60005:",
                "+nisuser::60006:60006:::",
                "alice:x:60001:100::/home/alice:/bin/sh",
                "broken line",
                "bob:x:notanumber:100::/:/bin/sh",
                "carol:x:61000:61000::/:/bin/sh",
                "", ""));
        Path group = Files.writeString(dir.resolve("group"), "users:x:100:\njudges:x:60999:alice\nlast:x:59999:\n");

        var clashes = HostIdOverlap.clashes(passwd, group, 60000, 60000, 1000);

        assertThat(clashes).containsExactly(
                new HostIdOverlap.Clash(passwd.toString(), "alice", "uid", 60001),
                new HostIdOverlap.Clash(group.toString(), "judges", "gid", 60999));
        assertThat(HostIdOverlap.warning(passwd, group, 60000, 60000, 1000)).hasValueSatisfying(w -> assertThat(w)
                .startsWith("box ids overlap host accounts: boxes run as uids 60000-60999 and gids 60000-60999, but alice (uid 60001 in ")
                .contains("judges (gid 60999 in ").contains("Fix: set first_uid and first_gid"));
    }

    @Test
    void aFreeRangeOrMissingFilesGiveNoWarning() throws Exception {
        Path passwd = Files.writeString(dir.resolve("passwd"), "root:x:0:0::/:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n");
        assertThat(HostIdOverlap.warning(passwd, dir.resolve("no-group"), 60000, 60000, 1000)).isEmpty();
        assertThat(HostIdOverlap.warning(passwd, dir.resolve("no-group"), 65000, 70000, 1000)).isPresent();
        assertThat(HostIdOverlap.warning(dir.resolve("none"), dir.resolve("none2"), 1, 1, 1000)).isEmpty();
    }

    @Test
    void manyClashesAreCounted() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            b.append("u").append(i).append(":x:").append(60000 + i).append(":1::/:/bin/sh\n");
        }
        Path passwd = Files.writeString(dir.resolve("passwd"), b);
        assertThat(HostIdOverlap.warning(passwd, dir.resolve("group"), 60000, 60000, 1000))
                .hasValueSatisfying(w -> assertThat(w).contains("u4 (uid 60004").doesNotContain("u5 (").contains(" and 3 more use them"));
    }

    @Test
    void anUnreadableFileIsSaidRatherThanFailing() throws Exception {
        Path notAFile = Files.createDirectory(dir.resolve("passwd"));
        assertThat(HostIdOverlap.warning(notAFile, dir.resolve("group"), 60000, 60000, 1000))
                .hasValueSatisfying(w -> assertThat(w).startsWith("cannot check the box ids against the host's accounts: Cannot read"));
    }
}
