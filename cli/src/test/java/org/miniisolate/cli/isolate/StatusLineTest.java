package org.miniisolate.cli.isolate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusLineTest {

    @Test
    void okLineShowsCpuAsRealAndWall() {
        assertThat(StatusLine.ok(2, 2)).isEqualTo("OK (0.002 sec real, 0.002 sec wall)");
        assertThat(StatusLine.ok(1090, 12345)).isEqualTo("OK (1.090 sec real, 12.345 sec wall)");
        assertThat(StatusLine.ok(0, 0)).isEqualTo("OK (0.000 sec real, 0.000 sec wall)");
    }

    @Test
    void failureMessages() {
        assertThat(StatusLine.exitedWithError(3)).isEqualTo("Exited with error status 3");
        assertThat(StatusLine.exitedWithError(127)).isEqualTo("Exited with error status 127");
        assertThat(StatusLine.caughtSignal(11)).isEqualTo("Caught fatal signal 11");
        assertThat(StatusLine.TIME_LIMIT_EXCEEDED).isEqualTo("Time limit exceeded");
        assertThat(StatusLine.WALL_TIME_LIMIT_EXCEEDED).isEqualTo("Time limit exceeded (wall clock)");
        assertThat(StatusLine.INTERRUPTED).isEqualTo("Interrupted");
    }
}
