package org.miniisolate;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.miniisolate.spec.Io;
import org.miniisolate.spec.Limits;
import org.miniisolate.spec.RunSpec;

/** Bad input is refused at the API, with a message naming what is wrong. */
class ApiValidationTest {
    @Test
    void negativeLimitsAreRefused() {
        Limits l = Limits.DEFAULTS;
        assertThatThrownBy(() -> l.withCpuTime(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("cpu time limit must be zero or positive, not PT-1S");
        assertThatThrownBy(() -> l.withWallTime(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("wall time limit must be zero or positive");
        assertThatThrownBy(() -> l.withExtraTime(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("extra time limit must be zero or positive");
        assertThatThrownBy(() -> l.withAddressSpaceKib(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("address space limit must be zero or positive, not -1");
        assertThatThrownBy(() -> l.withStackKib(-2)).hasMessage("stack limit must be zero or positive, not -2");
        assertThatThrownBy(() -> l.withFileSizeKib(-3)).hasMessage("file size limit must be zero or positive, not -3");
        assertThatThrownBy(() -> l.withCoreKib(-4)).hasMessage("core size limit must be zero or positive, not -4");
        assertThatThrownBy(() -> l.withOpenFiles(-5)).hasMessage("open files limit must be zero or positive, not -5");
        assertThatThrownBy(() -> l.withProcesses(-6)).hasMessage("processes limit must be zero or positive, not -6");
    }

    @Test
    void missingTimeLimitIsRefused() {
        assertThatThrownBy(() -> Limits.DEFAULTS.withCpuTime(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("cpu time limit must be zero or positive, not null");
    }

    @Test
    void emptyCommandIsRefused() {
        assertThatThrownBy(() -> RunSpec.of().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a run needs a program to execute");
        assertThatThrownBy(() -> RunSpec.of("").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a run needs a program to execute");
        assertThatThrownBy(() -> RunSpec.of(List.of()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a run needs a program to execute");
    }

    @Test
    void badRunSpecFieldsAreRefused() {
        assertThatThrownBy(() -> RunSpec.of("/bin/true").chdir("").build()).hasMessage("chdir needs a directory");
        assertThatThrownBy(() -> RunSpec.of("/bin/true").inheritedFds(List.of(1)).build())
                .hasMessage("inherited descriptor 1 is one of the standard streams");
        assertThatThrownBy(() -> RunSpec.of("/bin/true").environment(java.util.Map.of("A=B", "c")).build())
                .hasMessage("invalid environment variable name 'A=B'");
        assertThatThrownBy(() -> new Io(null, "", null, false)).hasMessage("stdout redirection needs a file name");
    }

    @Test
    void boxIdOutOfRangeIsRefused() {
        try (TestBoxes boxes = TestBoxes.open()) {
            Sandbox sandbox = boxes.sandbox();
            assertThatThrownBy(() -> sandbox.box(-1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("Sandbox ID out of range (allowed: 0-999)");
            assertThatThrownBy(() -> sandbox.box(1000))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("Sandbox ID out of range (allowed: 0-999)");
            sandbox.box(999); // the last one is fine, and creates nothing
        }
    }
}
