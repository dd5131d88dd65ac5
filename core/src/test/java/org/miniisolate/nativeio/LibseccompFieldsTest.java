package org.miniisolate.nativeio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The /proc/self/maps fields of the loaded libseccomp, split without the regex engine exactly as split(" +") did. */
class LibseccompFieldsTest {
    @Test
    void fieldsMatchTheRegexSplit() {
        String[] lines = {
            "r-xp 00004000 fe:00 1311232                    /usr/lib/x86_64-linux-gnu/libseccomp.so.2.5.4",
            "r-xp 00004000 fe:00 1311232 /opt/my libs/libseccomp.so.2",
            "rw-p 00000000 00:00 0 ",
            "rw-p 00000000 00:00 0",
            "rw-p",
            "",
            " leading",
            "a  b   c    d     e f  g ",
        };
        for (String line : lines) {
            for (int limit = 1; limit <= 6; limit++) {
                assertThat(Libseccomp.fields(line, limit)).as(line + " / " + limit).containsExactly(line.split(" +", limit));
            }
        }
    }
}
