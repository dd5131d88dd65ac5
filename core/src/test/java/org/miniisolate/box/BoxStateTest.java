package org.miniisolate.box;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The state file's timestamps: written and read exactly as Instant's ISO-8601 form, without DateTimeFormatter. */
class BoxStateTest {
    @Test
    void timestampsMatchInstantsOwnFormBothWays() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            long second = random.nextLong(-62_167_219_200L, 253_402_300_799L); // years 0000-9999
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(second, nano);
            assertThat(BoxState.iso(t)).isEqualTo(t.toString());
            assertThat(BoxState.parseInstant(t.toString())).isEqualTo(t);
        }
    }

    @Test
    void otherFormsAreLeftToInstant() {
        Instant far = Instant.parse("+12345-01-01T00:00:00Z");
        assertThat(BoxState.iso(far)).isEqualTo(far.toString());
        assertThat(BoxState.parseInstant(far.toString())).isEqualTo(far);
        assertThat(BoxState.parseInstant("2026-11-22T02:50:45.5Z")).isEqualTo(Instant.parse("2026-11-22T02:50:45.5Z"));
        assertThatThrownBy(() -> BoxState.parseInstant("2026-13-22T02:50:45Z")).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> BoxState.parseInstant("2026-11-22T02:50:4xZ")).isInstanceOf(RuntimeException.class);
        assertThat(BoxState.parseInstant("2026-11-22T02:50:45.Z")).isEqualTo(Instant.parse("2026-11-22T02:50:45.Z"));
    }
}
