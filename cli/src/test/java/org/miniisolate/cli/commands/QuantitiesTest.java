package org.miniisolate.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class QuantitiesTest {
    @Test
    void seconds() {
        assertThat(Quantities.seconds("1")).isEqualTo(Duration.ofSeconds(1));
        assertThat(Quantities.seconds("0.5")).isEqualTo(Duration.ofMillis(500));
        assertThat(Quantities.seconds("2.2509")).isEqualTo(Duration.ofMillis(2250));
        assertThat(Quantities.seconds(".25")).isEqualTo(Duration.ofMillis(250));
        assertThat(Quantities.seconds("0")).isEqualTo(Duration.ZERO);
        for (String bad : new String[] {"", "1s", "-1", "abc", ".", "1e3"}) {
            assertThatThrownBy(() -> Quantities.seconds(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void sizesAreMibUnlessSuffixed() {
        assertThat(Quantities.kib("5")).isEqualTo(5 * 1024);
        assertThat(Quantities.kib("0.5")).isEqualTo(512);
        assertThat(Quantities.kib("64K")).isEqualTo(64);
        assertThat(Quantities.kib("64k")).isEqualTo(64);
        assertThat(Quantities.kib("64KiB")).isEqualTo(64);
        assertThat(Quantities.kib("3M")).isEqualTo(3 * 1024);
        assertThat(Quantities.kib("3MB")).isEqualTo(3 * 1024);
        assertThat(Quantities.kib("1G")).isEqualTo(1024 * 1024);
        assertThat(Quantities.kib("0")).isZero();
        for (String bad : new String[] {"", "M", "-5", "5T", "five", "1.2.3"}) {
            assertThatThrownBy(() -> Quantities.kib(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
