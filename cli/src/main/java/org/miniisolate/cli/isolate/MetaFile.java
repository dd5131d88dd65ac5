package org.miniisolate.cli.isolate;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Writes an isolate meta-file: one {@code key:value} line per fact, in the order the facts become known.
 *
 * <p>Readers of isolate's meta-file split each line at the first colon and must not assume an order, so this
 * class only guarantees the line format: a key without colons or line breaks, and a value on one line (line breaks
 * in a value, e.g. in an error message, become spaces). Output is buffered and complete once {@link #close()}
 * returns. Methods are synchronized so that a line written from another thread (e.g. while handling an
 * interruption) never interleaves with another line.
 */
public final class MetaFile implements Closeable, Flushable {

    public static final String TIME = "time";
    public static final String TIME_WALL = "time-wall";
    public static final String MAX_RSS = "max-rss";
    public static final String CSW_VOLUNTARY = "csw-voluntary";
    public static final String CSW_FORCED = "csw-forced";
    public static final String CG_MEM = "cg-mem";
    public static final String CG_OOM_KILLED = "cg-oom-killed";
    public static final String EXITCODE = "exitcode";
    public static final String EXITSIG = "exitsig";
    public static final String KILLED = "killed";
    public static final String STATUS = "status";
    public static final String MESSAGE = "message";

    /** Values of {@link #STATUS}; a successful run has no status line. */
    public static final String STATUS_RUNTIME_ERROR = "RE";
    public static final String STATUS_SIGNALED = "SG";
    public static final String STATUS_TIMED_OUT = "TO";
    public static final String STATUS_INTERNAL_ERROR = "XX";

    private final Writer out;
    private final boolean closeUnderlying;
    private boolean closed;

    /**
     * @param out             where the lines go
     * @param closeUnderlying whether {@link #close()} closes {@code out}; pass {@code false} for a stream the
     *                        caller still needs, such as standard output for {@code -M -}
     */
    public MetaFile(Writer out, boolean closeUnderlying) {
        this.out = Objects.requireNonNull(out, "out");
        this.closeUnderlying = closeUnderlying;
    }

    /** A meta-file on a byte stream, encoded as UTF-8; see {@link #MetaFile(Writer, boolean)}. */
    public static MetaFile of(OutputStream out, boolean closeUnderlying) {
        return new MetaFile(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8)),
                closeUnderlying);
    }

    /** A meta-file that writes nothing, for runs without {@code -M}; spares callers a null check per fact. */
    public static MetaFile discarding() {
        return new MetaFile(Writer.nullWriter(), true);
    }

    /** Appends {@code key:value}. */
    public synchronized MetaFile put(String key, String value) throws IOException {
        checkKey(key);
        if (closed) {
            throw new IllegalStateException("meta-file already closed");
        }
        out.write(key);
        out.write(':');
        out.write(oneLine(value));
        out.write('\n');
        return this;
    }

    /** Appends an integer fact such as {@code exitcode:3} or {@code max-rss:1572}. */
    public MetaFile put(String key, long value) throws IOException {
        return put(key, Long.toString(value));
    }

    /** Appends a time in isolate's format, seconds with three decimals: 1090 ms gives {@code 1.090}. */
    public MetaFile putTime(String key, long millis) throws IOException {
        return put(key, formatSeconds(millis));
    }

    /** {@link #putTime(String, long)} for a duration, truncated to whole milliseconds. */
    public MetaFile putTime(String key, Duration time) throws IOException {
        return putTime(key, time.toMillis());
    }

    /**
     * Milliseconds as seconds with exactly three decimals ({@code 0.000}, {@code 1.090}, {@code 12.345}), the form
     * isolate uses in the meta-file and in its OK line.
     *
     * @throws IllegalArgumentException for a negative value, which no clock we read can produce
     */
    public static String formatSeconds(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("negative time: " + millis + " ms");
        }
        long ms = millis % 1000;
        StringBuilder sb = new StringBuilder(16).append(millis / 1000).append('.');
        if (ms < 100) {
            sb.append('0');
        }
        if (ms < 10) {
            sb.append('0');
        }
        return sb.append(ms).toString();
    }

    @Override
    public synchronized void flush() throws IOException {
        if (!closed) {
            out.flush();
        }
    }

    /** Flushes, and closes the destination if this meta-file owns it. Closing twice does nothing. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (closeUnderlying) {
            out.close();
        } else {
            out.flush();
        }
    }

    private static void checkKey(String key) {
        if (key.isEmpty() || key.indexOf(':') >= 0 || key.indexOf('\n') >= 0 || key.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("invalid meta-file key '" + key + "'");
        }
    }

    private static String oneLine(String value) {
        if (value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return value.replace('\n', ' ').replace('\r', ' ');
    }
}
