package org.miniisolate.cli.isolate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MetaFileTest {

    /** Remembers whether it was closed, so ownership of the destination can be checked. */
    private static final class TrackingStream extends ByteArrayOutputStream {
        boolean closed;

        @Override
        public void close() throws IOException {
            closed = true;
            super.close();
        }

        String text() {
            return toString(StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @CsvSource({
            "0, 0.000", "1, 0.001", "10, 0.010", "99, 0.099", "100, 0.100", "999, 0.999", "1000, 1.000",
            "1090, 1.090", "1100, 1.100", "4587, 4.587", "12345, 12.345", "3600000, 3600.000",
            "9223372036854775807, 9223372036854775.807",
    })
    void secondsHaveExactlyThreeDecimals(long millis, String expected) {
        assertThat(MetaFile.formatSeconds(millis)).isEqualTo(expected);
    }

    @Test
    void negativeTimeIsAProgrammingError() {
        assertThatThrownBy(() -> MetaFile.formatSeconds(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void linesAppearInTheOrderTheyWereWritten() throws Exception {
        StringWriter w = new StringWriter();
        try (MetaFile meta = new MetaFile(w, true)) {
            meta.put(MetaFile.STATUS, MetaFile.STATUS_TIMED_OUT)
                    .put(MetaFile.MESSAGE, StatusLine.TIME_LIMIT_EXCEEDED)
                    .put(MetaFile.KILLED, 1)
                    .putTime(MetaFile.TIME, 1090)
                    .putTime(MetaFile.TIME_WALL, Duration.ofNanos(1_100_999_999))
                    .put(MetaFile.MAX_RSS, 1572L);
        }
        assertThat(w.toString()).isEqualTo("""
                status:TO
                message:Time limit exceeded
                killed:1
                time:1.090
                time-wall:1.100
                max-rss:1572
                """);
    }

    @Test
    void keysAreIsolates() {
        assertThat(new String[] {MetaFile.TIME, MetaFile.TIME_WALL, MetaFile.MAX_RSS, MetaFile.CSW_VOLUNTARY,
                MetaFile.CSW_FORCED, MetaFile.CG_MEM, MetaFile.CG_OOM_KILLED, MetaFile.EXITCODE, MetaFile.EXITSIG,
                MetaFile.KILLED, MetaFile.STATUS, MetaFile.MESSAGE})
                .containsExactly("time", "time-wall", "max-rss", "csw-voluntary", "csw-forced", "cg-mem",
                        "cg-oom-killed", "exitcode", "exitsig", "killed", "status", "message");
        assertThat(new String[] {MetaFile.STATUS_RUNTIME_ERROR, MetaFile.STATUS_SIGNALED, MetaFile.STATUS_TIMED_OUT,
                MetaFile.STATUS_INTERNAL_ERROR}).containsExactly("RE", "SG", "TO", "XX");
    }

    @Test
    void valuesStayOnOneLine() throws Exception {
        StringWriter w = new StringWriter();
        try (MetaFile meta = new MetaFile(w, true)) {
            meta.put(MetaFile.MESSAGE, "first\nsecond\r\nthird").put("a", "x:y");
        }
        assertThat(w.toString()).isEqualTo("message:first second  third\na:x:y\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a:b", "a\nb", "a\rb"})
    void malformedKeysAreRejected(String key) {
        MetaFile meta = new MetaFile(new StringWriter(), true);
        assertThatThrownBy(() -> meta.put(key, "v")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void outputIsCompleteOnCloseAndDestinationClosedWhenOwned() throws Exception {
        TrackingStream out = new TrackingStream();
        MetaFile meta = MetaFile.of(out, true);
        meta.put(MetaFile.EXITCODE, 0);
        meta.put(MetaFile.MESSAGE, "open(\"é\"): No such file or directory");
        meta.close();
        assertThat(out.text()).isEqualTo("exitcode:0\nmessage:open(\"é\"): No such file or directory\n");
        assertThat(out.closed).isTrue();
    }

    @Test
    void borrowedDestinationIsFlushedButLeftOpen() throws Exception {
        TrackingStream out = new TrackingStream();
        MetaFile meta = MetaFile.of(out, false);
        meta.putTime(MetaFile.TIME, 2);
        meta.close();
        assertThat(out.text()).isEqualTo("time:0.002\n");
        assertThat(out.closed).isFalse();
    }

    @Test
    void flushMakesLinesVisibleBeforeClose() throws Exception {
        TrackingStream out = new TrackingStream();
        try (MetaFile meta = MetaFile.of(out, true)) {
            meta.put(MetaFile.STATUS, MetaFile.STATUS_INTERNAL_ERROR);
            meta.flush();
            assertThat(out.text()).isEqualTo("status:XX\n");
        }
    }

    @Test
    void closingTwiceIsHarmlessButWritingAfterCloseIsNot() throws Exception {
        MetaFile meta = new MetaFile(new StringWriter(), true);
        meta.close();
        meta.close();
        meta.flush();
        assertThatThrownBy(() -> meta.put(MetaFile.KILLED, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void discardingAcceptsEverything() throws Exception {
        try (MetaFile meta = MetaFile.discarding()) {
            assertThat(meta.put(MetaFile.EXITCODE, 0).putTime(MetaFile.TIME, 5)).isSameAs(meta);
        }
    }
}
