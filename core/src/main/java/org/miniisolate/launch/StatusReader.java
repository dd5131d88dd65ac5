package org.miniisolate.launch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.miniisolate.nativeio.Libc;

/** The JVM's end of a launcher's status pipe: reads fixed-size records into a report. */
final class StatusReader {
    private final int fd;
    private final byte[] buffer = new byte[Protocol.RECORD_BYTES * 16];
    private final ByteBuffer pending = ByteBuffer.allocate(Protocol.RECORD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private boolean ended;

    StatusReader(int fd) {
        this.fd = fd;
    }

    /** True once every writer has closed the pipe. */
    boolean ended() {
        return ended;
    }

    /** Waits up to {@code timeoutMillis} and takes in what arrived; false if nothing did. */
    boolean pump(LauncherReport into, int timeoutMillis) {
        if (ended || !Libc.pollReadable(fd, Math.max(0, timeoutMillis))) {
            return false;
        }
        int n = Libc.read(fd, buffer);
        if (n == 0) {
            ended = true;
            return true;
        }
        for (int i = 0; i < n; i++) {
            pending.put(buffer[i]);
            if (!pending.hasRemaining()) {
                into.accept(pending.flip());
                pending.clear();
            }
        }
        return true;
    }

    void close() {
        Libc.close(fd);
    }
}
