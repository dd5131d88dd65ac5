package org.miniisolate.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.miniisolate.box.BoxLayout;
import org.miniisolate.spec.DirRules;

/**
 * "./" binds are opened as root, so they must stay inside the box directory: no "..", no symbolic link on the way
 * (one left in box/ by its owner or by a program kept with --special-files would bind any host directory).
 */
class RootPlanBoxSourcesTest {
    @TempDir
    Path temp;

    @Test
    void dotDotIsRefusedInABoxRelativeSource() {
        assertThatThrownBy(() -> DirRules.apply(DirRules.defaults(), List.of("x=./../../etc")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Right-hand side must stay inside the box directory: ./../../etc");
        assertThatThrownBy(() -> DirRules.apply(DirRules.defaults(), List.of("x=./box/../../etc")))
                .hasMessageContaining("must stay inside the box directory");
        // Absolute sources are opened as the caller, who may name any path it can read.
        assertThatCode(() -> DirRules.apply(DirRules.defaults(), List.of("x=/usr/../etc"))).doesNotThrowAnyException();
    }

    @Test
    void aSymlinkOnTheWayToABoxRelativeSourceIsRefused() throws Exception {
        BoxLayout layout = BoxLayout.of(temp, 0);
        Files.createDirectories(layout.box().resolve("real/sub"));
        Files.createSymbolicLink(layout.box().resolve("link"), temp);
        Files.createSymbolicLink(layout.box().resolve("real/sublink"), Path.of("/"));

        RootPlan fine = RootPlan.of(DirRules.apply(DirRules.defaults(), List.of("a=./box/real/sub", "b=./box/missing")),
                layout);
        assertThatCode(() -> fine.requireNoSymlinksInBoxSources(layout.directory())).doesNotThrowAnyException();

        RootPlan viaLink = RootPlan.of(DirRules.apply(DirRules.defaults(), List.of("a=./box/link/x")), layout);
        assertThatThrownBy(() -> viaLink.requireNoSymlinksInBoxSources(layout.directory()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot mount ./box/link/x: ./box/link is a symbolic link, and links in the box are never"
                        + " followed");
        RootPlan linkItself = RootPlan.of(DirRules.apply(DirRules.defaults(), List.of("a=./box/real/sublink")), layout);
        assertThatThrownBy(() -> linkItself.requireNoSymlinksInBoxSources(layout.directory()))
                .hasMessageContaining("./box/real/sublink is a symbolic link");
        assertThat(linkItself.boxSources()).contains(layout.box().resolve("real/sublink"));
    }
}
