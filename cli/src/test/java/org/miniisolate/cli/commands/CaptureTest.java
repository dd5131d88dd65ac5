package org.miniisolate.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureTest {
    @TempDir
    Path tmp;

    @Test
    void readsUpToTheCapAndDeletes() throws IOException {
        Path f = tmp.resolve("out");
        Files.writeString(f, "x".repeat(3000));
        Capture.Output o = Capture.collect(f, 1, false);
        assertThat(o.bytes()).isEqualTo(1024);
        assertThat(o.truncated()).isTrue();
        assertThat(f).doesNotExist();

        Files.writeString(f, "hello\n");
        assertThat(Capture.collect(f, 1, false)).isEqualTo(new Capture.Output("hello\n", 6, false));
        assertThat(Capture.collect(f, 1, false)).isEqualTo(Capture.Output.EMPTY);
    }

    @Test
    void aFileStoppedAtExactlyTheCapIsTruncated() throws IOException {
        Path f = tmp.resolve("out");
        Files.writeString(f, "y".repeat(1024));
        assertThat(Capture.collect(f, 1, true).truncated()).isTrue();
        Files.writeString(f, "y".repeat(1024));
        assertThat(Capture.collect(f, 1, false).truncated()).isFalse();
    }

    @Test
    void aSymlinkPlantedByTheProgramIsNotFollowed() throws IOException {
        Path secret = Files.writeString(tmp.resolve("secret"), "do not read");
        Path f = Files.createSymbolicLink(tmp.resolve("out"), secret);
        Capture.Output o = Capture.collect(f, 1, false);
        assertThat(o.text()).isEmpty();
        assertThat(Files.exists(f, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(secret).hasContent("do not read");
    }
}
