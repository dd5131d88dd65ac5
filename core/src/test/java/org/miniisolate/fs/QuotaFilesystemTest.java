package org.miniisolate.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.miniisolate.nativeio.Libc;

class QuotaFilesystemTest {
    @TempDir
    Path temp;

    @Test
    void quotaTextIsBlocksCommaInodes() {
        assertThat(Quota.parse("1024,10")).isEqualTo(new Quota(1024, 10));
        assertThat(Quota.parse("0,0").enabled()).isFalse();
        assertThatThrownBy(() -> Quota.parse("1024")).hasMessageContaining("BLOCKS,INODES");
        assertThatThrownBy(() -> Quota.parse("a,b")).hasMessageContaining("BLOCKS,INODES");
        assertThatThrownBy(() -> Quota.parse("-1,5")).hasMessageContaining("non-negative");
    }

    @Test
    void fillingTheQuotaGivesNoSpaceAndLeavesTheHostAlone() throws Exception {
        assumeTrue(Libc.geteuid() == 0, "needs root to mount");
        Path box = Files.createDirectory(temp.resolve("0"));
        QuotaFilesystem.mount(box, new Quota(256, 20));
        try {
            assertThat(QuotaFilesystem.isMountPoint(box)).isTrue();
            Path big = box.resolve("big");
            assertThatThrownBy(() -> Files.write(big, new byte[1024 * 1024]))
                    .isInstanceOf(IOException.class).hasMessageContaining("No space left on device");
            assertThat(Files.size(big)).isLessThanOrEqualTo(256 * 1024);
            Files.delete(big);
            assertThatThrownBy(() -> {
                for (int i = 0; i < 100; i++) {
                    Files.createFile(box.resolve("f" + i));
                }
            }).isInstanceOf(IOException.class).hasMessageContaining("No space left on device");
        } finally {
            QuotaFilesystem.unmountIfPresent(box);
        }
        assertThat(QuotaFilesystem.isMountPoint(box)).isFalse();
        try (var left = Files.list(box)) {
            assertThat(left).isEmpty();
        }
    }
}
