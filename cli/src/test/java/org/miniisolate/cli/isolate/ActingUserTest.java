package org.miniisolate.cli.isolate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.miniisolate.SandboxException;

/** The --as-uid rule: only a real root caller may act for another user. */
class ActingUserTest {

    @TempDir
    Path temp;

    @Test
    void rootMayActForAnyone() {
        assertThat(ActingUser.resolve(0, 1000, 1001)).isEqualTo(new ActingUser.Owner(1000, 1001));
    }

    @Test
    void anyoneElseIsRefusedWithIsolatesMessage() {
        assertThatThrownBy(() -> ActingUser.resolve(1000, 1000, 1000))
                .isInstanceOf(SandboxException.class)
                .hasMessage("You must be root to use --as-uid or --as-gid");
    }

    @Test
    void withoutTheOptionsNobodyIsLookedUp() throws Exception {
        assertThat(ActingUser.of(IsolateCommandLine.parse(new String[] {"--init"}))).isNull();
    }

    @Test
    void theRealUidIsTheFirstOfTheUidLine() throws Exception {
        Path status = Files.writeString(temp.resolve("status"),
                "Name:\tjava\nUmask:\t0022\nUid:\t1000\t0\t0\t0\nGid:\t100\t0\t0\t0\n");
        assertThat(ActingUser.realUid(status)).isEqualTo(1000);
        assertThat(ActingUser.realUid(Path.of("/proc/self/status"))).isEqualTo(
                Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    @Test
    void anUnreadableStatusIsAnErrorNotRoot() {
        assertThatThrownBy(() -> ActingUser.realUid(temp.resolve("missing")))
                .isInstanceOf(SandboxException.class).hasMessageContaining("Cannot tell who called");
    }
}
